using Recoup.Domain.Debtors;

namespace Recoup.Domain.Strategies;

/// <summary>What a strategy step does.</summary>
public enum StepAction
{
    /// <summary>Send a letter from a template (consolidated per debtor and currency).</summary>
    Letter,

    /// <summary>Send an e-mail from a template (consolidated per debtor and currency).</summary>
    Email,

    /// <summary>Send a text message from a template (consolidated per debtor and currency).</summary>
    Sms,

    /// <summary>Create a call task (a follow-up) for the account's collector, with a priority.</summary>
    CallTask,

    /// <summary>Put a business customer on credit hold.</summary>
    CreditHold,

    /// <summary>Propose the account for write-off (a person approves).</summary>
    WriteOff,

    /// <summary>Propose the account for placement with an attorney or an agency.</summary>
    Escalation,

    /// <summary>Move the account to a named work queue.</summary>
    AssignQueue,
}

/// <summary>Something that happened on an account that a step can answer.</summary>
public enum StrategyEvent
{
    PromiseBroken,
    PlanDefaulted,
    PaymentReturned,
}

/// <summary>Whether steps follow the account's oldest past-due invoice, or each invoice on its own.</summary>
public enum DunningLevel
{
    /// <summary>The account moves through the steps by the days past due of its oldest open invoice.</summary>
    Account,

    /// <summary>Each invoice moves through the steps by its own days past due.</summary>
    Invoice,
}

/// <summary>
/// One step of a segment: an action, taken once per delinquency when the days past due reach
/// <see cref="DaysPastDue"/> (on that day exactly, or at the first run after), or once per
/// occurrence of <see cref="OnEvent"/>. Exactly one of the two is set.
/// </summary>
/// <param name="Key">Unique in the segment, e.g. <c>second-reminder</c>; what the run records as taken.</param>
/// <param name="Template">For a letter, e-mail or text: the template key (R9), e.g. <c>final_demand</c>.</param>
/// <param name="Priority">For a call task: 1 (highest) to 5.</param>
/// <param name="Queue">For <see cref="StepAction.AssignQueue"/>: the queue's name.</param>
public sealed record StrategyStep(
    string Key,
    StepAction Action,
    int? DaysPastDue = null,
    StrategyEvent? OnEvent = null,
    string? Template = null,
    int Priority = 3,
    string? Queue = null)
{
    public bool IsMessage => Action is StepAction.Letter or StepAction.Email or StepAction.Sms;
}

/// <summary>
/// Which accounts a segment takes. Every condition that is set must hold; an empty condition takes
/// every account. Amounts are in major units of the account's currency.
/// </summary>
/// <param name="RiskScoreFrom">The account's risk score (0–100, higher is riskier; docs/risk.md) at least this; an account without a score does not match a risk condition.</param>
/// <param name="Regions">States or provinces of the debtor's address, upper case.</param>
/// <param name="Disputed">True: only accounts with an open dispute; false: only accounts without.</param>
/// <param name="OnPlan">True: only accounts with an active payment plan; false: only accounts without.</param>
/// <param name="Clients">Codes of creditor clients: only accounts of debtors those clients placed (any letter case).</param>
/// <param name="NoClient">True: also (or, without <paramref name="Clients"/>, only) accounts of debtors with no client.</param>
public sealed record SegmentCondition(
    IReadOnlyList<DebtType>? DebtTypes = null,
    decimal? BalanceFrom = null,
    decimal? BalanceTo = null,
    int? DaysPastDueFrom = null,
    int? DaysPastDueTo = null,
    int? RiskScoreFrom = null,
    int? RiskScoreTo = null,
    IReadOnlyList<string>? Languages = null,
    IReadOnlyList<string>? Regions = null,
    bool? Disputed = null,
    bool? OnPlan = null,
    IReadOnlyList<string>? Clients = null,
    bool? NoClient = null)
{
    public static SegmentCondition Any { get; } = new();

    /// <summary>Whether the condition says anything about the client: some client codes, or "no client".</summary>
    public bool HasClientCondition => Clients is { Count: > 0 } || NoClient == true;
}

/// <summary>
/// One way of treating a segment's accounts. A segment with several arms splits its accounts between
/// them by <see cref="Percent"/>, at random but stably (<see cref="StableSplit"/>): the champion and its
/// challengers.
/// </summary>
public sealed record StrategyArm(string Name, int Percent, IReadOnlyList<StrategyStep> Steps);

/// <summary>A group of accounts treated alike: the first segment whose condition holds takes the account.</summary>
public sealed record StrategySegment(string Name, SegmentCondition When, IReadOnlyList<StrategyArm> Arms);

/// <summary>
/// A collections strategy as data: its segments in order (the first that matches takes the account)
/// and whether it duns account by account or invoice by invoice. Versioned by the store; a run records
/// the version each account followed.
/// </summary>
public sealed record StrategyDefinition(string Name, DunningLevel Dunning, IReadOnlyList<StrategySegment> Segments);
