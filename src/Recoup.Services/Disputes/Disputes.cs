using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Disputes;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Domain.Disputes;
using Recoup.Domain.Ledger;
using Recoup.Domain.Plans;
using Recoup.Services.Audit;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;
using Recoup.Services.Webhooks;

namespace Recoup.Services.Disputes;

/// <summary>An invoice named in a dispute, with the amount disputed on it (none: all that is open on it).</summary>
public sealed record DisputedInvoice(string InvoiceNumber, Money? Amount = null);

/// <summary>
/// A dispute to open: on named invoices, or on the account (<paramref name="Amount"/>, or when none is given the
/// whole balance not already disputed).
/// </summary>
public sealed record OpenDispute(
    AccountId AccountId,
    DisputeReason Reason,
    DisputeSource Source,
    string Description,
    Money? Amount = null,
    IReadOnlyList<DisputedInvoice>? Invoices = null,
    DisputeDepartment? Department = null,
    string? Owner = null,
    DateOnly? DueOn = null,
    DateOnly? OpenedOn = null);

/// <summary>
/// How a dispute ends: upheld (the whole amount credited), partially upheld (<paramref name="Credited"/> credited,
/// the rest collectible again and the evidence for it sent), or rejected (nothing credited, the evidence sent).
/// </summary>
public sealed record ResolveDispute(DisputeStatus Outcome, DisputeRemedy Remedy = DisputeRemedy.CreditMemo, Money? Credited = null, string? Note = null, string? Evidence = null);

public sealed record DisputeItemView(string InvoiceNumber, Money Amount);

/// <summary>A dispute as the screens and the API show it, with its age and SLA on the day it was read.</summary>
public sealed record DisputeView(
    Guid Id,
    AccountId AccountId,
    string DebtorId,
    string DebtorName,
    Money Amount,
    DisputeReason Reason,
    DisputeSource Source,
    DisputeDepartment Department,
    string? Owner,
    string Description,
    bool InWriting,
    DateOnly OpenedOn,
    DateTimeOffset OpenedAt,
    string OpenedBy,
    DateOnly DueOn,
    int AgeDays,
    bool Breached,
    DisputeStatus Status,
    DateOnly? ResolvedOn,
    string? ResolvedBy,
    Money Credited,
    DisputeRemedy? Remedy,
    LedgerEntryId? CreditEntryId,
    string? Resolution,
    DateTimeOffset? VerificationSentAt,
    IReadOnlyList<DisputeItemView> Items)
{
    public static DisputeView Of(DisputeRecord d, string debtorId, string debtorName, DateOnly today) => new(
        d.Id, d.AccountId, debtorId, debtorName, new Money(d.AmountMinor, d.Currency), d.Reason, d.Source, d.Department, d.Owner, d.Description, d.InWriting,
        d.OpenedOn, d.OpenedAt, d.OpenedBy, d.DueOn, DisputeSla.AgeInDays(d.OpenedOn, d.ResolvedOn ?? today), DisputeSla.Breached(d.DueOn, today, d.ResolvedOn),
        d.Status, d.ResolvedOn, d.ResolvedBy, new Money(d.CreditedMinor, d.Currency), d.Remedy, d.CreditEntryId, d.Resolution, d.VerificationSentAt,
        d.Items.OrderBy(i => i.Line).Select(i => new DisputeItemView(i.InvoiceNumber, new Money(i.AmountMinor, d.Currency))).ToList());
}

/// <summary>An account's disputes, and what the open ones hold out of collection.</summary>
public sealed record AccountDisputesView(AccountId AccountId, Money Balance, Money Held, Money Collectible, bool HeldInFull, IReadOnlyList<DisputeView> Disputes);

/// <summary>
/// Disputes: opened by a collector, by the debtor (portal, e-mail, letter) or by an import, on the account or on
/// named invoices; routed to a department with an owner and an SLA due date; their amount held out of collection
/// (<see cref="DisputeHold"/>, and the gate through <see cref="DisputeFacts"/>); resolved upheld, partially upheld or
/// rejected with the ledger entries, the letter to the debtor and, for a consumer's dispute in writing, the
/// verification recorded. Every step is audited (the account's timeline) and raises a webhook event.
/// </summary>
public sealed class Disputes(RecoupDatabase database, TimeProvider clock, DisputeSettings settings)
{
    public const string NotFound = "dispute_not_found";

    public async Task<Result<DisputeView>> OpenAsync(OpenDispute request, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var opened = await OpenInAsync(db, request, actor, clock.GetUtcNow(), ct);
        if (opened.IsSuccess)
        {
            await transaction.CommitAsync(ct);
        }

        return opened;
    }

    /// <summary>
    /// Opens the dispute inside the caller's transaction (saved, not committed): <see cref="OpenAsync"/> commits one,
    /// the dispute import (<see cref="DisputeImport"/>) commits a whole file or nothing.
    /// </summary>
    internal async Task<Result<DisputeView>> OpenInAsync(Data.RecoupDbContext db, OpenDispute request, string actor, DateTimeOffset now, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Description))
        {
            return new Error("description_missing", "Say what the debtor disputes and why", "description");
        }

        if (request.Description.Length > 4000)
        {
            return new Error("description_too_long", "The description is longer than 4,000 characters", "description");
        }

        var today = clock.Today();
        var openedOn = request.OpenedOn ?? today;
        if (openedOn > today)
        {
            return new Error("opened_in_future", $"The dispute cannot be opened on {Day(openedOn)}, after today", "opened_on");
        }

        var accountId = request.AccountId;
        var ledgers = await LedgerLoader.LoadAsync(db, a => a.Id == accountId, tracked: false, ct);
        if (ledgers is not [var ledger])
        {
            return new Error("account_not_found", $"There is no account {accountId}");
        }

        var currency = ledger.Currency;
        var open = await db.Disputes.AsNoTracking().Include(d => d.Items).Where(d => d.AccountId == accountId && d.Status == DisputeStatus.Open).ToListAsync(ct);
        var heldOnAccount = open.Sum(d => d.AmountMinor);
        var heldByInvoice = open.SelectMany(d => d.Items).GroupBy(i => i.InvoiceId).ToDictionary(g => g.Key, g => g.Sum(i => i.AmountMinor));

        var dispute = new DisputeRecord
        {
            Id = SequentialGuid.Create(now),
            AccountId = accountId,
            DebtorId = ledger.Account.DebtorId,
            Currency = currency,
            Reason = request.Reason,
            Source = request.Source,
            Department = request.Department ?? DisputeNames.DefaultDepartment(request.Reason),
            Owner = string.IsNullOrWhiteSpace(request.Owner) ? null : request.Owner.Trim(),
            Description = request.Description.Trim(),
            InWriting = DisputeNames.InWriting(request.Source),
            OpenedOn = openedOn,
            OpenedAt = now,
            OpenedBy = actor,
            Status = DisputeStatus.Open,
        };

        // A dispute received earlier (a letter, an import) is due by its department's SLA from the day it came in.
        dispute.DueOn = request.DueOn ?? openedOn.AddDays(settings.SlaDaysFor(dispute.Department));
        if (request.DueOn is not null && dispute.DueOn < today)
        {
            return new Error("due_in_past", $"The due date {Day(dispute.DueOn)} is before today", "due_on");
        }

        if (request.Invoices is { Count: > 0 } invoices)
        {
            var line = 0;
            foreach (var named in invoices)
            {
                var invoice = ledger.Invoices.FirstOrDefault(i => i.Number == named.InvoiceNumber.Trim());
                if (invoice is null)
                {
                    return new Error("invoice_not_found", $"Invoice '{named.InvoiceNumber}' is not on this account", "invoices");
                }

                if (dispute.Items.Exists(i => i.InvoiceId == invoice.Id))
                {
                    return new Error("invoice_named_twice", $"Invoice {invoice.Number} is named twice", "invoices");
                }

                var disputable = ledger.OpenOn(invoice.Id).Minor - heldByInvoice.GetValueOrDefault(invoice.Id);
                var amount = named.Amount?.Minor ?? disputable;
                if (named.Amount is { } given && given.Currency != currency)
                {
                    return new Error("currency_mismatch", $"The account is in {currency.Code}", "invoices");
                }

                if (amount <= 0 || amount > disputable)
                {
                    return new Error("amount_out_of_range",
                        $"On invoice {invoice.Number} up to {new Money(Math.Max(0, disputable), currency)} can be disputed (what is open and not already disputed)", "invoices");
                }

                dispute.Items.Add(new DisputeItemRecord { DisputeId = dispute.Id, Line = ++line, InvoiceId = invoice.Id, InvoiceNumber = invoice.Number, AmountMinor = amount });
            }

            dispute.AmountMinor = dispute.Items.Sum(i => i.AmountMinor);
        }
        else
        {
            var disputable = ledger.Balance.Minor - heldOnAccount;
            if (request.Amount is { } given && given.Currency != currency)
            {
                return new Error("currency_mismatch", $"The account is in {currency.Code}", "amount");
            }

            dispute.AmountMinor = request.Amount?.Minor ?? disputable;
            if (dispute.AmountMinor <= 0 || dispute.AmountMinor > disputable)
            {
                return new Error("amount_out_of_range",
                    $"Up to {new Money(Math.Max(0, disputable), currency)} can be disputed on this account (the balance not already disputed)", "amount");
            }
        }

        if (dispute.AmountMinor > ledger.Balance.Minor - heldOnAccount)
        {
            return new Error("amount_out_of_range", $"Up to {new Money(Math.Max(0, ledger.Balance.Minor - heldOnAccount), currency)} can be disputed on this account (the balance not already disputed)", "invoices");
        }

        db.Disputes.Add(dispute);
        var debtor = await db.Debtors.AsNoTracking().Include(d => d.ContactPoints).SingleAsync(d => d.Id == dispute.DebtorId, ct);
        var amountText = new Money(dispute.AmountMinor, currency).ToString();
        var acknowledgement = DisputeLetters.Message(debtor, dispute, "dispute_acknowledgement", now, actor,
            $"We received your dispute of {amountText}",
            $"Dear {debtor.Name},\n\nWe received your dispute of {amountText} ({DisputeNames.Label(DisputeNames.Name(dispute.Reason))})" +
            $"{ItemsText(dispute)}. While we look into it we will not ask you to pay the disputed amount.\n\n" +
            $"We will answer by {Day(dispute.DueOn)}.\n\nDispute reference: {dispute.Id}\n");
        if (acknowledgement is not null)
        {
            db.Outbox.Add(acknowledgement);
        }

        var heldAfter = new Money(heldOnAccount + dispute.AmountMinor, currency);
        db.AuditLog.Add(AuditLog.Record(now, actor, "dispute.opened", AuditEntities.Account, accountId.ToString(), null, new
        {
            summary = $"Dispute of {amountText} opened by {actor} ({DisputeNames.Label(DisputeNames.Name(dispute.Reason))}{(dispute.Items.Count == 0 ? ", whole account" : ", " + string.Join(", ", dispute.Items.Select(i => i.InvoiceNumber)))}): " +
                $"routed to {DisputeNames.Label(DisputeNames.Name(dispute.Department))}{(dispute.Owner is { } who ? $" ({who})" : "")}, due {Day(dispute.DueOn)}; collectible {DisputeHold.Collectible(ledger.Balance, heldAfter)}",
            dispute_id = dispute.Id,
            amount = new Money(dispute.AmountMinor, currency).ToDecimalString(),
            currency = currency.Code,
            reason = DisputeNames.Name(dispute.Reason),
            source = DisputeNames.Name(dispute.Source),
            opened_on = Day(dispute.OpenedOn),
            department = DisputeNames.Name(dispute.Department),
            owner = dispute.Owner,
            due_on = Day(dispute.DueOn),
            in_writing = dispute.InWriting,
            invoices = dispute.Items.Select(i => new { invoice = i.InvoiceNumber, amount = new Money(i.AmountMinor, currency).ToDecimalString() }),
            held = heldAfter.ToDecimalString(),
            collectible = DisputeHold.Collectible(ledger.Balance, heldAfter).ToDecimalString(),
            acknowledgement = acknowledgement is null ? "no e-mail or postal address on file" : acknowledgement.Channel.ToString().ToLowerInvariant(),
        }));
        await WebhookEvents.RaiseAsync(db, new WebhookEvent(WebhookEvents.DisputeOpened, EventData(dispute, debtor.ExternalId), now, actor, accountId.Value, dispute.DebtorId.Value), ct);
        await db.SaveChangesAsync(ct);
        return DisputeView.Of(dispute, debtor.ExternalId, debtor.Name, today);
    }

    /// <summary>
    /// Resolves an open dispute. Upheld and partially upheld post a credit memo (or a negative adjustment) for the
    /// credited amount on the disputed invoices (or oldest due first for a dispute on the account); the credit must
    /// be within the resolver's adjustment limit. Partially upheld and rejected send the evidence to the debtor.
    /// </summary>
    public async Task<Result<DisputeView>> ResolveAsync(Guid disputeId, ResolveDispute request, string actor, SettlementRole role, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        var today = clock.Today();
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var dispute = await db.Disputes.Include(d => d.Items).SingleOrDefaultAsync(d => d.Id == disputeId, ct);
        if (dispute is null)
        {
            return new Error(NotFound, $"There is no dispute {disputeId}");
        }

        if (dispute.Status != DisputeStatus.Open)
        {
            return new Error("dispute_not_open", $"The dispute is already {DisputeNames.Label(DisputeNames.Name(dispute.Status))}");
        }

        var evidence = request.Evidence?.Trim();
        if (request.Outcome != DisputeStatus.Upheld && string.IsNullOrWhiteSpace(evidence))
        {
            return new Error("evidence_missing", "Give the evidence that the debt (or the part not credited) is owed: it is sent to the debtor", "evidence");
        }

        if (evidence is { Length: > 4000 } || request.Note is { Length: > 1000 })
        {
            return new Error("text_too_long", "The evidence is limited to 4,000 characters and the note to 1,000", "evidence");
        }

        // Take the account's row lock before reading its ledger, so that a concurrent posting queues behind this one.
        var accountId = dispute.AccountId;
        await db.Accounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(set => set.SetProperty(a => a.Version, a => a.Version), ct);
        var ledger = (await LedgerLoader.LoadAsync(db, a => a.Id == accountId, tracked: true, ct)).Single();
        var currency = ledger.Currency;

        var creditable = dispute.Items.Count > 0
            ? dispute.Items.Sum(i => Math.Min(i.AmountMinor, ledger.OpenOn(i.InvoiceId).Minor))
            : Math.Min(dispute.AmountMinor, ledger.OpenTotal.Minor);
        long credited;
        switch (request.Outcome)
        {
            case DisputeStatus.Upheld:
                credited = creditable;
                break;
            case DisputeStatus.PartiallyUpheld:
                if (request.Credited is not { } part || part.Currency != currency || !part.IsPositive || part.Minor >= dispute.AmountMinor)
                {
                    return new Error("credited_out_of_range", $"A partially upheld dispute credits more than zero and less than the disputed {new Money(dispute.AmountMinor, currency)}", "credited");
                }

                if (part.Minor > creditable)
                {
                    return new Error("credited_out_of_range", $"Only {new Money(creditable, currency)} of the disputed amount is still open to credit", "credited");
                }

                credited = part.Minor;
                break;
            case DisputeStatus.Rejected:
                credited = 0;
                break;
            default:
                return new Error("outcome_unknown", "A dispute is resolved upheld, partially_upheld or rejected", "outcome");
        }

        if (credited > 0 && settings.Adjustments.Refusal(role, new Money(credited, currency)) is { } refusal)
        {
            return new Error("beyond_authority", $"Crediting {refusal}");
        }

        var memo = $"dispute ({DisputeNames.Label(DisputeNames.Name(dispute.Reason))})" + (string.IsNullOrWhiteSpace(request.Note) ? "" : $": {request.Note.Trim()}");
        var entries = new List<LedgerEntry>();
        if (credited > 0)
        {
            var targets = dispute.Items.Count > 0
                ? Spread(credited, dispute.Items.OrderBy(i => i.Line).Select(i => ((InvoiceId?)i.InvoiceId, Math.Min(i.AmountMinor, ledger.OpenOn(i.InvoiceId).Minor))))
                : [(null, credited)];
            foreach (var (invoice, minor) in targets)
            {
                var amount = new Money(minor, currency);
                var posted = request.Remedy == DisputeRemedy.Adjustment
                    ? ledger.PostAdjustment(-amount, today, now, memo, invoice)
                    : ledger.PostCreditMemo(amount, today, now, memo, invoice);
                if (posted.Error is { } refused)
                {
                    return refused;
                }

                entries.Add(posted.Value);
            }

            await LedgerWrites.StageAsync(db, [ledger], ct);
        }

        var debtor = await db.Debtors.AsNoTracking().Include(d => d.ContactPoints).SingleAsync(d => d.Id == dispute.DebtorId, ct);
        dispute.Status = request.Outcome;
        dispute.ResolvedOn = today;
        dispute.ResolvedAt = now;
        dispute.ResolvedBy = actor;
        dispute.CreditedMinor = credited;
        dispute.Remedy = credited > 0 ? request.Remedy : null;
        dispute.CreditEntryId = entries.Count > 0 ? entries[0].Id : null;
        dispute.Resolution = string.Join("\n", new[] { request.Note?.Trim(), evidence }.Where(s => !string.IsNullOrWhiteSpace(s)));

        var letter = DisputeLetters.Message(debtor, dispute, "dispute_resolution", now, actor, ResolutionSubject(dispute), ResolutionBody(debtor, dispute, evidence));
        if (letter is not null)
        {
            db.Outbox.Add(letter);
        }

        // The answer to a consumer's dispute in writing is the verification the gate waits for (12 CFR 1006.38(d)(2)(i)).
        var verified = dispute.InWriting && debtor.DebtType != DebtType.Commercial && letter is not null;
        if (verified)
        {
            dispute.VerificationSentAt = now;
        }

        var stillHeld = await db.Disputes.AsNoTracking().Where(d => d.AccountId == accountId && d.Status == DisputeStatus.Open && d.Id != dispute.Id).SumAsync(d => d.AmountMinor, ct);
        db.AuditLog.Add(AuditLog.Record(now, actor, "dispute.resolved", AuditEntities.Account, accountId.ToString(),
            new { dispute_id = dispute.Id, status = "open", amount = new Money(dispute.AmountMinor, currency).ToDecimalString() },
            new
            {
                summary = $"Dispute of {new Money(dispute.AmountMinor, currency)} {DisputeNames.Label(DisputeNames.Name(dispute.Status))} by {actor}" +
                    (credited > 0 ? $": {new Money(credited, currency)} credited by {DisputeNames.Label(DisputeNames.Name(request.Remedy))}" : "") +
                    (letter is null ? "" : $"; {(dispute.Status == DisputeStatus.Upheld ? "outcome" : "evidence")} sent by {(letter.Channel == Data.Outbox.OutboxChannel.Email ? "e-mail" : "letter")}") +
                    (verified ? " (verification recorded)" : ""),
                dispute_id = dispute.Id,
                status = DisputeNames.Name(dispute.Status),
                credited = new Money(credited, currency).ToDecimalString(),
                currency = currency.Code,
                remedy = dispute.Remedy is { } remedy ? DisputeNames.Name(remedy) : null,
                ledger_entries = entries.Select(e => new { ledger_entry_id = e.Id.ToString(), sequence = e.Sequence, kind = e.Kind.ToString(), amount = e.Amount.ToDecimalString() }),
                evidence_sent = letter is null ? null : letter.Channel.ToString().ToLowerInvariant(),
                verification_recorded = verified,
                balance = ledger.Balance.ToDecimalString(),
                collectible = DisputeHold.Collectible(ledger.Balance, new Money(stillHeld, currency)).ToDecimalString(),
            }));
        await WebhookEvents.RaiseAsync(db, new WebhookEvent(WebhookEvents.DisputeResolved, EventData(dispute, debtor.ExternalId), now, actor, accountId.Value, dispute.DebtorId.Value), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return DisputeView.Of(dispute, debtor.ExternalId, debtor.Name, today);
    }

    /// <summary>Hands an open dispute to another department, owner or due date.</summary>
    public async Task<Result<DisputeView>> RouteAsync(Guid disputeId, DisputeDepartment? department, string? owner, DateOnly? dueOn, string actor, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var today = clock.Today();
        await using var db = database.CreateContext();
        var dispute = await db.Disputes.Include(d => d.Items).SingleOrDefaultAsync(d => d.Id == disputeId, ct);
        if (dispute is null)
        {
            return new Error(NotFound, $"There is no dispute {disputeId}");
        }

        if (dispute.Status != DisputeStatus.Open)
        {
            return new Error("dispute_not_open", $"The dispute is already {DisputeNames.Label(DisputeNames.Name(dispute.Status))}");
        }

        var before = new { department = DisputeNames.Name(dispute.Department), owner = dispute.Owner, due_on = Day(dispute.DueOn) };
        if (department is { } moved && moved != dispute.Department)
        {
            dispute.Department = moved;
            dispute.DueOn = dueOn ?? dispute.OpenedOn.AddDays(settings.SlaDaysFor(moved));
        }

        if (owner is not null)
        {
            dispute.Owner = string.IsNullOrWhiteSpace(owner) ? null : owner.Trim();
        }

        if (dueOn is { } due)
        {
            dispute.DueOn = due;
        }

        db.AuditLog.Add(AuditLog.Record(now, actor, "dispute.routed", AuditEntities.Account, dispute.AccountId.ToString(), before,
            new
            {
                summary = $"Dispute routed to {DisputeNames.Label(DisputeNames.Name(dispute.Department))}{(dispute.Owner is { } who ? $" ({who})" : "")}, due {Day(dispute.DueOn)}, by {actor}",
                dispute_id = dispute.Id,
                department = DisputeNames.Name(dispute.Department),
                owner = dispute.Owner,
                due_on = Day(dispute.DueOn),
            }));
        await db.SaveChangesAsync(ct);
        var debtor = await db.Debtors.AsNoTracking().SingleAsync(d => d.Id == dispute.DebtorId, ct);
        return DisputeView.Of(dispute, debtor.ExternalId, debtor.Name, today);
    }

    public async Task<Result<DisputeView>> GetAsync(Guid disputeId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var dispute = await db.Disputes.AsNoTracking().Include(d => d.Items).SingleOrDefaultAsync(d => d.Id == disputeId, ct);
        if (dispute is null)
        {
            return new Error(NotFound, $"There is no dispute {disputeId}");
        }

        var debtor = await db.Debtors.AsNoTracking().SingleAsync(d => d.Id == dispute.DebtorId, ct);
        return DisputeView.Of(dispute, debtor.ExternalId, debtor.Name, clock.Today());
    }

    /// <summary>An account's disputes, newest first, with the balance, what the open ones hold and what is collectible.</summary>
    public async Task<Result<AccountDisputesView>> ForAccountAsync(AccountId accountId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var summary = await db.AccountSummaries.AsNoTracking().SingleOrDefaultAsync(s => s.AccountId == accountId.Value, ct);
        if (summary is null)
        {
            return new Error("account_not_found", $"There is no account {accountId}");
        }

        var disputes = await db.Disputes.AsNoTracking().Include(d => d.Items).Where(d => d.AccountId == accountId).ToListAsync(ct);
        var balance = new Money(summary.BalanceMinor, summary.Currency);
        var held = new Money(disputes.Where(d => d.Status == DisputeStatus.Open).Sum(d => d.AmountMinor), summary.Currency);
        var today = clock.Today();
        return new AccountDisputesView(accountId, balance, held, DisputeHold.Collectible(balance, held), DisputeHold.HeldInFull(balance, held),
            disputes.OrderByDescending(d => d.Id).Select(d => DisputeView.Of(d, summary.DebtorExternalId, summary.Name, today)).ToList());
    }

    /// <summary>
    /// The supervisors' list: disputes by status (default open), oldest first, optionally of one department or owner,
    /// or only those past their due date; at most <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<DisputeView>> ListAsync(DisputeStatus? status, DisputeDepartment? department, string? owner, bool breachedOnly, int limit = 500, CancellationToken ct = default)
    {
        var today = clock.Today();
        await using var db = database.CreateContext();
        var query = db.Disputes.AsNoTracking().Include(d => d.Items).Where(d => d.Status == (status ?? DisputeStatus.Open));
        if (department is { } dept)
        {
            query = query.Where(d => d.Department == dept);
        }

        if (!string.IsNullOrWhiteSpace(owner))
        {
            var who = owner.Trim();
            query = query.Where(d => d.Owner == who);
        }

        if (breachedOnly)
        {
            query = query.Where(d => d.DueOn < today);
        }

        var rows = await query.OrderBy(d => d.OpenedOn).ThenBy(d => d.Id).Take(limit).ToListAsync(ct);
        var debtorIds = rows.Select(r => r.DebtorId).Distinct().ToList();
        var debtors = await db.Debtors.AsNoTracking().Where(d => debtorIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => (d.ExternalId, d.Name), ct);
        return rows.Select(d => DisputeView.Of(d, debtors[d.DebtorId].ExternalId, debtors[d.DebtorId].Name, today)).ToList();
    }

    /// <summary>Hands <paramref name="total"/> out to the targets in order, each up to its capacity.</summary>
    private static List<(InvoiceId? Invoice, long Minor)> Spread(long total, IEnumerable<(InvoiceId? Invoice, long Capacity)> targets)
    {
        var result = new List<(InvoiceId?, long)>();
        var left = total;
        foreach (var (invoice, capacity) in targets)
        {
            var take = Math.Min(left, Math.Max(0, capacity));
            if (take > 0)
            {
                result.Add((invoice, take));
                left -= take;
            }
        }

        return result;
    }

    private static object EventData(DisputeRecord d, string debtorExternalId) => new
    {
        dispute_id = d.Id,
        account_id = d.AccountId.ToString(),
        debtor_id = debtorExternalId,
        status = DisputeNames.Name(d.Status),
        reason = DisputeNames.Name(d.Reason),
        department = DisputeNames.Name(d.Department),
        owner = d.Owner,
        amount = new { amount = new Money(d.AmountMinor, d.Currency).ToDecimalString(), currency = d.Currency.Code },
        credited = new { amount = new Money(d.CreditedMinor, d.Currency).ToDecimalString(), currency = d.Currency.Code },
        invoices = d.Items.Select(i => i.InvoiceNumber),
        due_on = Day(d.DueOn),
    };

    private static string ItemsText(DisputeRecord d) =>
        d.Items.Count == 0 ? " on your account" : " on invoice" + (d.Items.Count > 1 ? "s " : " ") + string.Join(", ", d.Items.Select(i => i.InvoiceNumber));

    private static string ResolutionSubject(DisputeRecord d) => d.Status switch
    {
        DisputeStatus.Upheld => "Your dispute was upheld",
        DisputeStatus.PartiallyUpheld => "Your dispute was partly upheld",
        _ => "The outcome of your dispute",
    };

    private static string ResolutionBody(Debtor debtor, DisputeRecord d, string? evidence)
    {
        var credited = new Money(d.CreditedMinor, d.Currency);
        var disputed = new Money(d.AmountMinor, d.Currency);
        var outcome = d.Status switch
        {
            DisputeStatus.Upheld => $"We agree with you: we credited {credited} to your account.",
            DisputeStatus.PartiallyUpheld => $"We agree in part: we credited {credited} of the {disputed} you disputed. The rest is owed, for the reasons below.",
            _ => $"We looked into your dispute of {disputed} and found that it is owed, for the reasons below.",
        };
        var reasons = string.IsNullOrWhiteSpace(evidence) ? "" : $"\n\n{evidence}";
        return $"Dear {debtor.Name},\n\n{outcome}{reasons}\n\nDispute reference: {d.Id}\n";
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
