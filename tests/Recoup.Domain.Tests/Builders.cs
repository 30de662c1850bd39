using Recoup.Domain.Ledger;

namespace Recoup.Domain.Tests;

/// <summary>
/// Test data with sensible defaults, so that each test states only what matters to it:
/// <c>ALedger().WithInvoice("A", 100, issuedOn: 0, dueOn: 30).WithPayment(40, on: 10).Build()</c>.
/// Dates are whole days after <see cref="Start"/>; amounts are in major units of the ledger's currency.
/// </summary>
internal static class Builders
{
    public static readonly DateOnly Start = new(2025, 1, 1);
    public static readonly DateTimeOffset Now = new(2025, 1, 1, 9, 0, 0, TimeSpan.Zero);

    public static DateOnly Day(int n) => Start.AddDays(n);

    public static Money Usd(decimal amount) => Money.FromMajor(amount, Currency.USD, MidpointRounding.ToEven);

    public static Money Eur(decimal amount) => Money.FromMajor(amount, Currency.EUR, MidpointRounding.ToEven);

    public static Money Jpy(long amount) => new(amount, Currency.JPY);

    public static Account AnAccount(Currency? currency = null) =>
        new(AccountId.New(Now), DebtorId.New(Now), currency ?? Currency.USD, Now);

    public static LedgerBuilder ALedger(Currency? currency = null) => new(currency ?? Currency.USD);
}

internal sealed class LedgerBuilder(Currency currency)
{
    private readonly List<Action<AccountLedger>> _steps = [];

    private Money Amount(decimal major) => Money.FromMajor(major, currency, MidpointRounding.ToEven);

    /// <summary>An invoice issued on day <paramref name="issuedOn"/>, due 30 days later unless <paramref name="dueOn"/> says otherwise.</summary>
    public LedgerBuilder WithInvoice(string number, decimal amount, int issuedOn = 0, int? dueOn = null) =>
        Then(l => l.AddInvoice(number, Builders.Day(issuedOn), Builders.Day(dueOn ?? issuedOn + 30), Amount(amount), Builders.Now).Ok());

    public LedgerBuilder WithPayment(decimal amount, int on, string? toInvoice = null) =>
        Then(l => l.PostPayment(Amount(amount), Builders.Day(on), Builders.Now, "test", toInvoice is null ? null : l.Id(toInvoice)).Ok());

    public LedgerBuilder WithCreditMemo(decimal amount, int on, string? toInvoice = null) =>
        Then(l => l.PostCreditMemo(Amount(amount), Builders.Day(on), Builders.Now, "test", toInvoice is null ? null : l.Id(toInvoice)).Ok());

    public LedgerBuilder WithFee(decimal amount, string onInvoice, int on) =>
        Then(l => l.PostFee(Amount(amount), l.Id(onInvoice), Builders.Day(on), Builders.Now, "late fee").Ok());

    public LedgerBuilder WithRefund(decimal amount, int on) =>
        Then(l => l.PostRefund(Amount(amount), Builders.Day(on), Builders.Now, "test").Ok());

    public LedgerBuilder WithWriteOff(decimal amount, int on, string? invoice = null) =>
        Then(l => l.WriteOff(Amount(amount), Builders.Day(on), Builders.Now, "uncollectable", invoice is null ? null : l.Id(invoice)).Ok());

    public LedgerBuilder WithRecovery(decimal amount, int on) =>
        Then(l => l.RecordRecovery(Amount(amount), Builders.Day(on), Builders.Now, "test").Ok());

    public AccountLedger Build()
    {
        var ledger = AccountLedger.Open(Builders.AnAccount(currency));
        foreach (var step in _steps)
        {
            step(ledger);
        }

        return ledger;
    }

    public LedgerBuilder Then(Action<AccountLedger> step)
    {
        _steps.Add(step);
        return this;
    }
}

/// <summary>What a refused operation must leave unchanged.</summary>
internal sealed record LedgerSnapshot(int Invoices, int Entries, int Allocations, long Balance, long Open, long Unapplied, long WrittenOff, long Version);

internal static class LedgerTestExtensions
{
    public static Invoice Invoice(this AccountLedger ledger, string number) => ledger.Invoices.Single(i => i.Number == number);

    public static InvoiceId Id(this AccountLedger ledger, string number) => ledger.Invoice(number).Id;

    public static Money OpenOn(this AccountLedger ledger, string number) => ledger.OpenOn(ledger.Id(number));

    public static LedgerEntry LastEntry(this AccountLedger ledger) => ledger.Entries[^1];

    public static LedgerSnapshot Snapshot(this AccountLedger ledger) => new(
        ledger.Invoices.Count,
        ledger.Entries.Count,
        ledger.Allocations.Count,
        ledger.Balance.Minor,
        ledger.OpenTotal.Minor,
        ledger.UnappliedCredit.Minor,
        ledger.WrittenOffOutstanding.Minor,
        ledger.Account.Version);

    public static IReadOnlyList<InvariantViolation> Violations(this AccountLedger ledger) =>
        LedgerInvariants.Check(ledger.Account, ledger.Invoices, ledger.Entries, ledger.Allocations);

    /// <summary>The value of a result that must have succeeded (test set-up or the behaviour under test).</summary>
    public static T Ok<T>(this Result<T> result) =>
        result.IsSuccess ? result.Value : throw new Xunit.Sdk.XunitException($"Expected success, got {result.Error!.Code}: {result.Error.Message}");

    /// <summary>
    /// Runs an operation that must be refused with <paramref name="code"/> and asserts that it
    /// changed nothing.
    /// </summary>
    public static Error AssertRefused<T>(this AccountLedger ledger, Func<AccountLedger, Result<T>> operation, string code)
    {
        var before = ledger.Snapshot();
        var result = operation(ledger);
        Assert.False(result.IsSuccess, $"Expected {code}, but the operation succeeded");
        Assert.Equal(code, result.Error!.Code);
        Assert.Equal(before, ledger.Snapshot());
        Assert.Empty(ledger.Violations());
        return result.Error;
    }
}
