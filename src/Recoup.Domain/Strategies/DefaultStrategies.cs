using Recoup.Domain.Debtors;

namespace Recoup.Domain.Strategies;

/// <summary>
/// The strategy a new database starts with for each kind of debt (docs/strategies.md explains each
/// step). Templates are the standard ones shipped with Recoup.
/// </summary>
public static class DefaultStrategies
{
    /// <summary>
    /// Accounts on a plan follow the plan (its reminders come from plan monitoring); only a default or a
    /// returned payment calls for action. (Plan monitoring itself puts a defaulted plan or a broken
    /// promise in front of the collector with a task, so no strategy step repeats it.)
    /// </summary>
    private static StrategySegment OnPlan { get; } = new("On a plan", new SegmentCondition(OnPlan: true), [Arm(
        new("plan-defaulted-letter", StepAction.Letter, OnEvent: StrategyEvent.PlanDefaulted, Template: "broken_promise"),
        new("payment-returned-call", StepAction.CallTask, OnEvent: StrategyEvent.PaymentReturned, Priority: 1))]);

    /// <summary>A disputed account is not dunned: the dispute is worked, not the debt.</summary>
    private static StrategySegment Disputed { get; } = new("Disputed", new SegmentCondition(Disputed: true), [Arm()]);

    public static StrategyDefinition For(DebtType debtType) => debtType switch
    {
        DebtType.Consumer => Consumer,
        DebtType.Commercial => Commercial,
        DebtType.Medical => Medical,
        _ => throw new ArgumentOutOfRangeException(nameof(debtType), debtType, null),
    };

    public static StrategyDefinition Consumer { get; } = new("Consumer standard", DunningLevel.Account,
    [
        OnPlan,
        Disputed,
        new("Small balance", new SegmentCondition(BalanceTo: 25m), [Arm(
            new("first-reminder-email", StepAction.Email, DaysPastDue: 5, Template: "first_reminder"),
            new("final-demand-letter", StepAction.Letter, DaysPastDue: 60, Template: "final_demand"),
            new("propose-write-off", StepAction.WriteOff, DaysPastDue: 120))]),
        new("Standard", SegmentCondition.Any, [Arm(
            new("first-reminder-email", StepAction.Email, DaysPastDue: 5, Template: "first_reminder"),
            new("first-reminder-letter", StepAction.Letter, DaysPastDue: 10, Template: "first_reminder"),
            new("first-call", StepAction.CallTask, DaysPastDue: 20, Priority: 3),
            new("second-reminder-letter", StepAction.Letter, DaysPastDue: 30, Template: "second_reminder"),
            new("second-reminder-sms", StepAction.Sms, DaysPastDue: 35, Template: "second_reminder"),
            new("second-call", StepAction.CallTask, DaysPastDue: 45, Priority: 2),
            new("final-demand-letter", StepAction.Letter, DaysPastDue: 60, Template: "final_demand"),
            new("final-call", StepAction.CallTask, DaysPastDue: 75, Priority: 1),
            new("broken-promise-email", StepAction.Email, OnEvent: StrategyEvent.PromiseBroken, Template: "broken_promise"),
            new("escalate", StepAction.Escalation, DaysPastDue: 120),
            new("propose-write-off", StepAction.WriteOff, DaysPastDue: 180))]),
    ]);

    public static StrategyDefinition Commercial { get; } = new("Commercial standard", DunningLevel.Account,
    [
        OnPlan,
        Disputed,
        new("Standard", SegmentCondition.Any, [Arm(
            new("first-reminder-email", StepAction.Email, DaysPastDue: 1, Template: "first_reminder"),
            new("first-call", StepAction.CallTask, DaysPastDue: 10, Priority: 3),
            new("second-reminder-email", StepAction.Email, DaysPastDue: 20, Template: "second_reminder"),
            new("credit-hold", StepAction.CreditHold, DaysPastDue: 30),
            new("credit-hold-letter", StepAction.Letter, DaysPastDue: 30, Template: "credit_hold_notice"),
            new("final-demand-letter", StepAction.Letter, DaysPastDue: 45, Template: "final_demand"),
            new("final-call", StepAction.CallTask, DaysPastDue: 50, Priority: 1),
            new("broken-promise-email", StepAction.Email, OnEvent: StrategyEvent.PromiseBroken, Template: "broken_promise"),
            new("escalate", StepAction.Escalation, DaysPastDue: 90))]),
    ]);

    public static StrategyDefinition Medical { get; } = new("Medical standard", DunningLevel.Account,
    [
        OnPlan,
        Disputed,
        new("Standard", SegmentCondition.Any, [Arm(
            new("first-statement", StepAction.Letter, DaysPastDue: 30, Template: "first_reminder"),
            new("second-statement", StepAction.Letter, DaysPastDue: 60, Template: "second_reminder"),
            new("first-call", StepAction.CallTask, DaysPastDue: 75, Priority: 3),
            new("final-demand-letter", StepAction.Letter, DaysPastDue: 90, Template: "final_demand"),
            new("final-call", StepAction.CallTask, DaysPastDue: 100, Priority: 2),
            new("escalate", StepAction.Escalation, DaysPastDue: 180))]),
    ]);

    private static StrategyArm Arm(params StrategyStep[] steps) => new("champion", 100, steps);
}
