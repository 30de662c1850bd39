using System.Globalization;

namespace Recoup.Domain.Strategies;

/// <summary>
/// Checks a strategy before it is saved, and gives every mistake with where it is
/// (<c>segments[1].arms[0].steps[2].template</c>), so the editor can point at it.
/// </summary>
public static class StrategyRules
{
    /// <summary>The earliest a step may come: a reminder up to this many days before the due date.</summary>
    public const int EarliestDay = -60;

    public const int LatestDay = 3650;

    public static IReadOnlyList<Error> Check(StrategyDefinition strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        var errors = new List<Error>();
        void Add(string field, string message) => errors.Add(new Error("invalid_strategy", message, field));

        if (string.IsNullOrWhiteSpace(strategy.Name))
        {
            Add("name", "Give the strategy a name");
        }

        if (strategy.Segments.Count == 0)
        {
            Add("segments", "A strategy needs at least one segment");
        }

        foreach (var duplicate in strategy.Segments.GroupBy(s => s.Name.Trim(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            Add("segments", $"Two segments are named '{duplicate.Key}'; segment names must differ (an account's split depends on its segment's name)");
        }

        for (var s = 0; s < strategy.Segments.Count; s++)
        {
            var segment = strategy.Segments[s];
            var at = $"segments[{s}]";
            if (string.IsNullOrWhiteSpace(segment.Name))
            {
                Add($"{at}.name", "Give the segment a name");
            }

            CheckCondition(segment.When, $"{at}.when", Add);
            if (segment.Arms.Count == 0)
            {
                Add($"{at}.arms", $"Segment '{segment.Name}' has no steps to take");
                continue;
            }

            var percent = segment.Arms.Sum(a => a.Percent);
            if (segment.Arms.Count > 1 && percent != 100)
            {
                Add($"{at}.arms", $"The arms of segment '{segment.Name}' share {percent} % of its accounts; they must share 100 %");
            }

            foreach (var duplicate in segment.Arms.GroupBy(a => a.Name.Trim(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            {
                Add($"{at}.arms", $"Two arms of segment '{segment.Name}' are named '{duplicate.Key}'");
            }

            for (var a = 0; a < segment.Arms.Count; a++)
            {
                var arm = segment.Arms[a];
                var armAt = $"{at}.arms[{a}]";
                if (string.IsNullOrWhiteSpace(arm.Name))
                {
                    Add($"{armAt}.name", "Give the arm a name (e.g. champion, challenger)");
                }

                if (segment.Arms.Count > 1 && arm.Percent is < 1 or > 99)
                {
                    Add($"{armAt}.percent", $"Arm '{arm.Name}' takes {arm.Percent} % of the accounts; an arm of a split takes 1 to 99 %");
                }

                foreach (var duplicate in arm.Steps.GroupBy(st => st.Key.Trim(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
                {
                    Add($"{armAt}.steps", $"Two steps of arm '{arm.Name}' have the key '{duplicate.Key}'");
                }

                for (var i = 0; i < arm.Steps.Count; i++)
                {
                    CheckStep(arm.Steps[i], $"{armAt}.steps[{i}]", Add);
                }
            }
        }

        return errors;
    }

    private static void CheckStep(StrategyStep step, string at, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(step.Key))
        {
            add($"{at}.key", "Give the step a key (e.g. second-reminder)");
        }

        if ((step.DaysPastDue is null) == (step.OnEvent is null))
        {
            add($"{at}.days_past_due", $"Step '{step.Key}' must be keyed either by days past due or by an event, not {(step.OnEvent is null ? "neither" : "both")}");
        }

        if (step.DaysPastDue is { } days && days is < EarliestDay or > LatestDay)
        {
            add($"{at}.days_past_due", string.Create(CultureInfo.InvariantCulture, $"Step '{step.Key}' comes at {days} days past due; a step comes between {EarliestDay} (before the due date) and {LatestDay}"));
        }

        if (step.IsMessage && string.IsNullOrWhiteSpace(step.Template))
        {
            add($"{at}.template", $"Step '{step.Key}' sends a {step.Action.ToString().ToLowerInvariant()}; name its template");
        }

        if (step.Action == StepAction.AssignQueue && string.IsNullOrWhiteSpace(step.Queue))
        {
            add($"{at}.queue", $"Step '{step.Key}' assigns to a queue; name the queue");
        }

        if (step.Priority is < 1 or > 5)
        {
            add($"{at}.priority", string.Create(CultureInfo.InvariantCulture, $"Step '{step.Key}' has priority {step.Priority}; priorities run from 1 (highest) to 5"));
        }
    }

    private static void CheckCondition(SegmentCondition when, string at, Action<string, string> add)
    {
        if (when.BalanceFrom > when.BalanceTo)
        {
            add($"{at}.balance_from", "The balance range runs backwards (from is more than to)");
        }

        if (when.DaysPastDueFrom > when.DaysPastDueTo)
        {
            add($"{at}.days_past_due_from", "The days-past-due range runs backwards (from is more than to)");
        }

        if (when.RiskScoreFrom > when.RiskScoreTo)
        {
            add($"{at}.risk_score_from", "The risk-score range runs backwards (from is more than to)");
        }

        // A score runs from 0 to 100 (Risk.RiskScorecard): a bound outside would quietly take every account or none.
        if (when.RiskScoreFrom is < 0 or > Risk.RiskScorecard.MaxScore)
        {
            add($"{at}.risk_score_from", string.Create(CultureInfo.InvariantCulture, $"A risk score runs from 0 to {Risk.RiskScorecard.MaxScore}, not {when.RiskScoreFrom}"));
        }

        if (when.RiskScoreTo is < 0 or > Risk.RiskScorecard.MaxScore)
        {
            add($"{at}.risk_score_to", string.Create(CultureInfo.InvariantCulture, $"A risk score runs from 0 to {Risk.RiskScorecard.MaxScore}, not {when.RiskScoreTo}"));
        }

        foreach (var code in when.Clients ?? [])
        {
            if (Clients.ClientCode.Problem(Clients.ClientCode.Normalize(code)) is { } problem)
            {
                add($"{at}.clients", problem);
            }
        }

        foreach (var duplicate in (when.Clients ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).GroupBy(c => c.Trim(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            add($"{at}.clients", $"The client '{duplicate.Key}' is listed twice");
        }
    }
}
