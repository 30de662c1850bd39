using Recoup.Domain.Debtors;

namespace Recoup.Domain.Conversations;

/// <summary>How a conversation took place, and in which direction.</summary>
public enum InteractionChannel
{
    OutboundCall,
    InboundCall,
    EmailSent,
    EmailReceived,
    LetterSent,
    SmsSent,
    SmsReceived,
    PortalAction,
    Note,
}

/// <summary>Who was reached.</summary>
public enum PartyReached
{
    None,
    Debtor,
    ThirdParty,
    Attorney,
}

/// <summary>What came of the interaction.</summary>
public enum InteractionOutcome
{
    /// <summary>For notes and messages that have no outcome of their own.</summary>
    None,
    RightPartyContact,
    WrongParty,
    NoAnswer,
    VoicemailLeft,
    Busy,
    Disconnected,
    RefusedToPay,
    PromiseMade,
    DisputeRaised,
    CallbackRequested,
    CeaseRequested,
}

/// <summary>Why the debtor is behind, as the debtor or the collector tells it.</summary>
public enum DelinquencyReason
{
    JobLoss,
    Medical,
    Divorce,
    OtherHardship,
    Dispute,
    Forgot,
    CashFlow,
    RefusesToPay,
    Deceased,
    Bankruptcy,
}

/// <summary>
/// One entry of the conversation log: a call, a message, a letter, a portal action or a note, with
/// who recorded it, when it happened, through which contact point, who was reached and what came of
/// it. Entries are immutable; a correction is a new entry that <see cref="Corrects"/> the old one.
/// </summary>
public sealed class Interaction
{
    private Interaction()
    {
        RecordedBy = "";
        AccountIds = [];
    }

    private Interaction(InteractionId id, DebtorId debtorId, InteractionDraft draft, string recordedBy, DateTimeOffset recordedAt)
    {
        Id = id;
        DebtorId = debtorId;
        AccountIds = draft.AccountIds;
        Channel = draft.Channel;
        OccurredAt = draft.OccurredAt;
        ContactPointId = draft.ContactPointId;
        Party = draft.Party;
        Outcome = draft.Outcome;
        Reason = draft.Reason;
        Notes = draft.Notes;
        Corrects = draft.Corrects;
        RecordedBy = recordedBy;
        RecordedAt = recordedAt;
    }

    public InteractionId Id { get; private set; }
    public DebtorId DebtorId { get; private set; }

    /// <summary>The accounts (debts) the interaction was about; a conversation may cover several.</summary>
    public IReadOnlyList<AccountId> AccountIds { get; private set; }

    public InteractionChannel Channel { get; private set; }

    /// <summary>When the call, message or action happened (may be earlier than <see cref="RecordedAt"/>).</summary>
    public DateTimeOffset OccurredAt { get; private set; }

    public ContactPointId? ContactPointId { get; private set; }
    public PartyReached Party { get; private set; }
    public InteractionOutcome Outcome { get; private set; }

    /// <summary>The reason for delinquency learned in this interaction, if one was.</summary>
    public DelinquencyReason? Reason { get; private set; }

    public string? Notes { get; private set; }

    /// <summary>The entry this one corrects; the corrected entry stays in the log as it was.</summary>
    public InteractionId? Corrects { get; private set; }

    /// <summary>The user (or <c>system</c>, <c>cli:NAME</c>) who recorded it.</summary>
    public string RecordedBy { get; private set; }

    public DateTimeOffset RecordedAt { get; private set; }

    /// <summary>Whether the collector spoke with the debtor (Regulation F's "telephone conversation" when by phone).</summary>
    public bool IsRightPartyContact => IsRightPartyContactFor(Party, Outcome);

    /// <summary>The rule of <see cref="IsRightPartyContact"/>, for reports that count interactions grouped by party and outcome.</summary>
    public static bool IsRightPartyContactFor(PartyReached party, InteractionOutcome outcome) => party == PartyReached.Debtor && outcome is not (InteractionOutcome.None
        or InteractionOutcome.WrongParty or InteractionOutcome.NoAnswer or InteractionOutcome.VoicemailLeft or InteractionOutcome.Busy or InteractionOutcome.Disconnected);

    public bool IsCall => Channel is InteractionChannel.OutboundCall or InteractionChannel.InboundCall;

    /// <summary>
    /// Checks a draft against the rules of the log and makes the entry. <paramref name="contactPoints"/>
    /// are the debtor's; <paramref name="accounts"/> the debtor's accounts.
    /// </summary>
    public static Result<Interaction> Record(
        InteractionId id, DebtorId debtorId, InteractionDraft draft, IReadOnlyCollection<ContactPoint> contactPoints,
        IReadOnlyCollection<AccountId> accounts, Interaction? corrected, string recordedBy, DateTimeOffset now)
    {
        if (draft.AccountIds.Count == 0)
        {
            return new Error("accounts_missing", "Say which account the interaction was about", "account_ids");
        }

        foreach (var account in draft.AccountIds)
        {
            if (!accounts.Contains(account))
            {
                return new Error("account_not_found", $"Account {account} does not belong to this debtor", "account_ids");
            }
        }

        if (draft.OccurredAt > now.AddMinutes(5))
        {
            return new Error("occurred_in_future", $"An interaction cannot happen in the future ({draft.OccurredAt:yyyy-MM-dd HH:mm} UTC is after now)", "occurred_at");
        }

        ContactPoint? point = null;
        if (draft.ContactPointId is { } pointId)
        {
            point = contactPoints.FirstOrDefault(c => c.Id == pointId);
            if (point is null)
            {
                return new Error("contact_point_not_found", $"Contact point {pointId} does not belong to this debtor", "contact_point_id");
            }

            if (ChannelKind(draft.Channel) is { } kind && point.Kind != kind)
            {
                return new Error("contact_point_wrong_kind", $"{Label(draft.Channel)} needs a {kind.ToString().ToLowerInvariant()} contact point, not {point.Value}", "contact_point_id");
            }
        }

        if (OutcomeFits(draft.Channel, draft.Party, draft.Outcome) is { } problem)
        {
            return new Error("outcome_not_applicable", problem, "outcome");
        }

        if (draft.Notes is { Length: > 4000 })
        {
            return new Error("notes_too_long", "Notes are limited to 4,000 characters", "notes");
        }

        if (draft.Corrects is { } correctedId)
        {
            if (corrected is null || corrected.Id != correctedId || corrected.DebtorId != debtorId)
            {
                return new Error("corrected_not_found", $"There is no entry {correctedId} for this debtor to correct", "corrects");
            }
        }

        if (string.IsNullOrWhiteSpace(draft.Notes) && draft.Channel == InteractionChannel.Note)
        {
            return new Error("notes_missing", "A note needs some text", "notes");
        }

        return new Interaction(id, debtorId, draft with { Notes = string.IsNullOrWhiteSpace(draft.Notes) ? null : draft.Notes.Trim() }, recordedBy, now);
    }

    /// <summary>Why an outcome cannot go with a channel and party, or null when it can.</summary>
    private static string? OutcomeFits(InteractionChannel channel, PartyReached party, InteractionOutcome outcome)
    {
        var isCall = channel is InteractionChannel.OutboundCall or InteractionChannel.InboundCall;
        var noOneReached = outcome is InteractionOutcome.NoAnswer or InteractionOutcome.VoicemailLeft or InteractionOutcome.Busy or InteractionOutcome.Disconnected;
        if (noOneReached && !isCall)
        {
            return $"'{Label(outcome)}' is an outcome of a phone call, not of {Label(channel).ToLowerInvariant()}";
        }

        if (noOneReached && party != PartyReached.None)
        {
            return $"'{Label(outcome)}' means no one was reached; set the party reached to none";
        }

        if (outcome == InteractionOutcome.WrongParty && party is PartyReached.Debtor)
        {
            return "A wrong-party contact did not reach the debtor";
        }

        if (outcome is (InteractionOutcome.RightPartyContact or InteractionOutcome.PromiseMade or InteractionOutcome.RefusedToPay) && party != PartyReached.Debtor)
        {
            return $"'{Label(outcome)}' needs the debtor as the party reached";
        }

        if (isCall && outcome == InteractionOutcome.None)
        {
            return "Choose the outcome of the call";
        }

        return null;
    }

    private static ContactKind? ChannelKind(InteractionChannel channel) => channel switch
    {
        InteractionChannel.OutboundCall or InteractionChannel.InboundCall or InteractionChannel.SmsSent or InteractionChannel.SmsReceived => ContactKind.Phone,
        InteractionChannel.EmailSent or InteractionChannel.EmailReceived => ContactKind.Email,
        InteractionChannel.LetterSent => ContactKind.Postal,
        InteractionChannel.PortalAction or InteractionChannel.Note => null,
    };

    /// <summary>Who an outcome says was reached when nobody says otherwise: nobody for a call not answered, someone else for a wrong party, else the debtor.</summary>
    public static PartyReached PartyImpliedBy(InteractionOutcome outcome) => outcome switch
    {
        InteractionOutcome.None or InteractionOutcome.NoAnswer or InteractionOutcome.VoicemailLeft or InteractionOutcome.Busy or InteractionOutcome.Disconnected => PartyReached.None,
        InteractionOutcome.WrongParty => PartyReached.ThirdParty,
        _ => PartyReached.Debtor,
    };

    /// <summary>How an outbound contact by <paramref name="channel"/> is logged.</summary>
    public static InteractionChannel OutboundChannel(Compliance.ContactChannel channel) => channel switch
    {
        Compliance.ContactChannel.Call => InteractionChannel.OutboundCall,
        Compliance.ContactChannel.Sms => InteractionChannel.SmsSent,
        Compliance.ContactChannel.Email => InteractionChannel.EmailSent,
        Compliance.ContactChannel.Letter => InteractionChannel.LetterSent,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Not a contact channel"),
    };

    /// <summary>"Outbound call", "Voicemail left": the enum member in words.</summary>
    public static string Label<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var name = value.ToString();
        var words = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                words.Append(' ').Append(char.ToLowerInvariant(name[i]));
            }
            else
            {
                words.Append(name[i]);
            }
        }

        return words.ToString();
    }
}

/// <summary>What a collector (or a sending path) reports about an interaction, before it is checked.</summary>
public sealed record InteractionDraft(
    IReadOnlyList<AccountId> AccountIds,
    InteractionChannel Channel,
    DateTimeOffset OccurredAt,
    ContactPointId? ContactPointId,
    PartyReached Party,
    InteractionOutcome Outcome,
    DelinquencyReason? Reason = null,
    string? Notes = null,
    InteractionId? Corrects = null);
