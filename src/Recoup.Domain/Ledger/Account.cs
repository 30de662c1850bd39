using Recoup.Domain.Debtors;

namespace Recoup.Domain.Ledger;

/// <summary>
/// A debtor's receivable in one currency: the ledger's unit. A debtor who owes in two currencies
/// has two accounts, because amounts in different currencies are never added together.
/// </summary>
public sealed class Account
{
    private Account()
    {
    }

    public Account(AccountId id, DebtorId debtorId, Currency currency, DateTimeOffset openedAt)
    {
        Id = id;
        DebtorId = debtorId;
        Currency = currency;
        OpenedAt = openedAt;
    }

    public AccountId Id { get; private set; }
    public DebtorId DebtorId { get; private set; }
    public Currency Currency { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }

    /// <summary>Optimistic-concurrency token: every change to the account's ledger increments it.</summary>
    public long Version { get; private set; }

    /// <summary>The debtor, when loaded with the account.</summary>
    public Debtor? Debtor { get; private set; }

    /// <summary>The debtor's current reason for delinquency, from the latest conversation that recorded one.</summary>
    public Conversations.DelinquencyReason? DelinquencyReason { get; private set; }

    public DateTimeOffset? DelinquencyReasonAt { get; private set; }

    /// <summary>Keeps the reason learned in a conversation, unless a later conversation already gave one.</summary>
    public void RecordDelinquencyReason(Conversations.DelinquencyReason reason, DateTimeOffset occurredAt)
    {
        if (DelinquencyReasonAt is { } current && current > occurredAt)
        {
            return;
        }

        DelinquencyReason = reason;
        DelinquencyReasonAt = occurredAt;
    }

    internal void Touch() => Version = checked(Version + 1);
}
