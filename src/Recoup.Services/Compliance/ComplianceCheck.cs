using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Conversations;
using Recoup.Domain.Debtors;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.Compliance;

/// <summary>A contact someone intends to make, as the API and the screens ask about it.</summary>
/// <param name="Purpose">What the contact is for, where a rule depends on it (the answer to a dispute, a cease acknowledgement).</param>
public sealed record ComplianceQuestion(
    string DebtorId, AccountId AccountId, ContactChannel Channel, ContactPointId ContactPointId, DateTimeOffset At, bool Automated = false, ContactPurpose Purpose = ContactPurpose.None);

/// <summary>
/// Puts one intended contact to the compliance gate: builds the gate's facts from storage (the debtor,
/// the contact points, the debtor's accounts and the conversation log), asks
/// <see cref="ComplianceGate.Check"/>, and records the answer in the audit log, which is also the
/// account's timeline. The rule set is the configured one (<see cref="RuleSetConfiguration"/>), a singleton.
/// </summary>
public sealed class ComplianceCheck(RecoupDatabase database, TimeProvider clock, RuleSet rules)
{

    public async Task<Result<GateDecision>> RunAsync(ComplianceQuestion question, string actor, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var debtor = await db.Debtors.Include(d => d.ContactPoints).SingleOrDefaultAsync(d => d.ExternalId == question.DebtorId, ct);
        if (debtor is null)
        {
            return new Error("debtor_not_found", $"There is no debtor '{question.DebtorId}'", "debtor_id");
        }

        var accounts = await db.Accounts.AsNoTracking().Where(a => a.DebtorId == debtor.Id).Select(a => a.Id).ToListAsync(ct);
        if (!accounts.Contains(question.AccountId))
        {
            return new Error("account_not_found", $"Account {question.AccountId} does not belong to debtor '{question.DebtorId}'", "account_id");
        }

        var point = debtor.ContactPoints.FirstOrDefault(c => c.Id == question.ContactPointId);
        if (point is null)
        {
            return new Error("contact_point_not_found", $"Contact point {question.ContactPointId} does not belong to debtor '{question.DebtorId}'", "contact_point_id");
        }

        var expected = ContactChannels.KindFor(question.Channel);
        if (point.Kind != expected)
        {
            return new Error("contact_point_wrong_kind",
                $"A contact by {ContactChannels.Name(question.Channel)} needs {ContactChannels.Describe(expected)}, not {point.Value}", "contact_point_id");
        }

        var at = question.At.ToUniversalTime();
        var accountGuids = accounts.Select(a => a.Value).ToList();
        var summaries = await db.AccountSummaries.AsNoTracking().Where(s => accountGuids.Contains(s.AccountId)).ToListAsync(ct);
        var log = await db.Interactions.AsNoTracking().Where(i => i.DebtorId == debtor.Id).ToListAsync(ct);

        // Grants that ended before the attempt can neither allow it nor make it allowed later.
        var grants = await db.ComplianceExceptionGrants.AsNoTracking().Where(g => g.DebtorId == debtor.Id && g.ValidUntil > at).ToListAsync(ct);

        var facts = await Disputes.DisputeFacts.ApplyAsync(db, debtor.Id, Facts(debtor, summaries, log, grants), ct);
        facts = (await Holds.CollectionStops.LoadAsync(db, [debtor.Id], at, ct)).Apply(facts, debtor.Id);
        var attempt = new ContactAttempt(question.Channel, PointFacts(point), at, [question.AccountId.ToString()], question.Automated, Purpose: question.Purpose);
        var decision = ComplianceGate.Check(facts, attempt, rules);

        db.AuditLog.Add(AuditLog.Record(clock.GetUtcNow(), actor, ActionFor(decision),
            AuditEntities.Account, question.AccountId.ToString(), null, new
            {
                channel = ContactChannels.Name(question.Channel),
                contact_point = point.Value,
                at,
                decision.Allowed,
                reasons = decision.Reasons.Select(r => new { r.Rule, r.Citation, r.Message }),
                decision.NextAllowedAt,
                exceptions = decision.Excepted.Count == 0 ? null : decision.Excepted.Select(e => new { exception_id = e.GrantId, e.Rule, e.Citation, e.Message }),
            }));
        await db.SaveChangesAsync(ct);
        return decision;
    }

    /// <summary>
    /// How the decision is recorded: <c>compliance.allowed</c>, <c>compliance.blocked</c>, or
    /// <c>compliance.allowed_by_exception</c> when only a manager's exception allowed it (the record lists the exceptions).
    /// </summary>
    public static string ActionFor(GateDecision decision) =>
        !decision.Allowed ? "compliance.blocked" : decision.Excepted.Count > 0 ? "compliance.allowed_by_exception" : "compliance.allowed";

    /// <summary>The gate's facts about a debtor, from storage.</summary>
    public static ContactCase Facts(
        Debtor debtor, IReadOnlyList<Data.Accounts.AccountSummary> accounts, IReadOnlyList<Interaction> log, IReadOnlyList<ComplianceExceptionGrant>? grants = null) =>
        Facts(DebtorContacts.Of(debtor), accounts, log, grants);

    /// <summary>The gate's facts about a debtor read as <see cref="DebtorContacts"/>, from storage.</summary>
    public static ContactCase Facts(
        DebtorContacts debtor, IReadOnlyList<Data.Accounts.AccountSummary> accounts, IReadOnlyList<Interaction> log, IReadOnlyList<ComplianceExceptionGrant>? grants = null)
    {
        ArgumentNullException.ThrowIfNull(debtor);
        var region = Accounts.AccountSummaries.RegionOf(debtor.ContactPoints);
        var state = region is { Length: 2 } ? region : null;
        var optOuts = new List<OptOut>();
        foreach (var channel in debtor.OptedOutChannels.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            optOuts.Add(new OptOut(ContactChannels.Parse(channel), null, debtor.OptedOutAt ?? DateTimeOffset.MinValue));
        }

        var consents = new List<AutomatedContactConsent>();
        foreach (var point in debtor.ContactPoints)
        {
            if (point.OptedOutAt is { } at)
            {
                optOuts.Add(new OptOut(null, point.Id.ToString(), at));
            }

            if (point.AutodialerConsent is { } calls)
            {
                consents.Add(new AutomatedContactConsent(point.Id.ToString(), calls.GivenAt, calls.RevokedAt, ContactChannel.Call));
            }

            if (point.TextConsent is { } texts)
            {
                consents.Add(new AutomatedContactConsent(point.Id.ToString(), texts.GivenAt, texts.RevokedAt, ContactChannel.Sms));
            }
        }

        return new ContactCase
        {
            DebtorKind = debtor.Kind,
            DebtType = debtor.DebtType,
            TimeZones = debtor.PossibleTimeZones(),
            States = state is null ? [] : [state],
            InconvenientTimes = InconvenientTimes.Parse(debtor.InconvenientTimes) is { IsSuccess: true } times ? times.Value : [],
            CeaseCommunicationAt = debtor.CeaseCommunicationAt,
            AttorneyRepresentedSince = debtor.AttorneyRepresentedSince,
            WorkplaceContactProhibited = debtor.WorkplaceContactProhibited,
            OptOuts = optOuts,
            Consents = consents,
            Debts = accounts.Select(a => new DebtFacts(a.AccountId.ToString(), a.DebtType, state,
                a.OldestDueDate == Data.Accounts.AccountSummary.NothingOpen ? null : a.OldestDueDate)).ToList(),
            History = new ContactHistory(log.Select(History).OfType<ContactHistoryEntry>()),
            ExceptionGrants = grants is null ? [] : [.. grants.Select(g => g.ToFacts())],
        };
    }

    /// <summary>What a conversation-log entry means to the gate; null for entries that are not contacts (notes, portal actions).</summary>
    public static ContactHistoryEntry? History(Interaction entry)
    {
        var (channel, direction) = entry.Channel switch
        {
            InteractionChannel.OutboundCall => (ContactChannel.Call, ContactDirection.Outbound),
            InteractionChannel.InboundCall => (ContactChannel.Call, ContactDirection.Inbound),
            InteractionChannel.SmsSent => (ContactChannel.Sms, ContactDirection.Outbound),
            InteractionChannel.SmsReceived => (ContactChannel.Sms, ContactDirection.Inbound),
            InteractionChannel.EmailSent => (ContactChannel.Email, ContactDirection.Outbound),
            InteractionChannel.EmailReceived => (ContactChannel.Email, ContactDirection.Inbound),
            InteractionChannel.LetterSent => (ContactChannel.Letter, ContactDirection.Outbound),
            _ => ((ContactChannel?)null, ContactDirection.Outbound),
        };
        if (channel is not { } medium)
        {
            return null;
        }

        var outcome = entry.Outcome switch
        {
            InteractionOutcome.Busy or InteractionOutcome.Disconnected => ContactOutcome.NotConnected,
            InteractionOutcome.NoAnswer => ContactOutcome.Unanswered,
            InteractionOutcome.VoicemailLeft => ContactOutcome.Voicemail,
            _ when medium != ContactChannel.Call => ContactOutcome.Sent,
            _ when entry.IsRightPartyContact => ContactOutcome.Conversation,

            // Someone answered who was not the debtor: a placed call that counts, but no conversation with the debtor.
            _ => ContactOutcome.Unanswered,
        };
        return new ContactHistoryEntry(entry.OccurredAt, medium, direction, entry.ContactPointId?.ToString(),
            entry.AccountIds.Select(a => a.ToString()).ToList(), outcome);
    }

    public static ContactPointFacts PointFacts(ContactPoint point) => new(
        point.Id.ToString(),
        point.Kind,
        point.PhoneType switch
        {
            PhoneType.Mobile => PhoneLineType.Mobile,
            PhoneType.Home or PhoneType.Work => PhoneLineType.Landline,
            _ => PhoneLineType.Unknown,
        },
        point.IsWorkplace,
        point.TimeZones);
}
