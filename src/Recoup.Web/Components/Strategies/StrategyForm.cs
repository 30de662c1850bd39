using System.Globalization;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Domain.Strategies;

namespace Recoup.Web.Components.Strategies;

/// <summary>
/// The strategy editor's form, as posted: every field as the person typed it (text), so that a wrong
/// number is reported next to its field instead of lost. <see cref="ToDefinition"/> reads it back, with
/// each mistake at the same place the strategy's rules name (<c>segments[0].arms[1].percent</c>).
/// </summary>
public sealed class StrategyForm
{
    public string? Name { get; set; }
    public string? Dunning { get; set; }
    public List<SegmentForm> Segments { get; set; } = [];

    /// <summary>The button pressed: save, add-segment, remove-segment:S, add-arm:S, remove-arm:S:A, add-step:S:A, remove-step:S:A:I, up-segment:S.</summary>
    public string? Command { get; set; }

    public static StrategyForm From(StrategyDefinition strategy) => new()
    {
        Name = strategy.Name,
        Dunning = strategy.Dunning == DunningLevel.Invoice ? "invoice" : "account",
        Segments = strategy.Segments.Select(s => new SegmentForm
        {
            Name = s.Name,
            DebtTypes = s.When.DebtTypes is { Count: > 0 } types ? string.Join(", ", types.Select(t => t.ToString().ToLowerInvariant())) : null,
            BalanceFrom = Text(s.When.BalanceFrom),
            BalanceTo = Text(s.When.BalanceTo),
            DaysFrom = Text(s.When.DaysPastDueFrom),
            DaysTo = Text(s.When.DaysPastDueTo),
            RiskFrom = Text(s.When.RiskScoreFrom),
            RiskTo = Text(s.When.RiskScoreTo),
            Languages = s.When.Languages is { Count: > 0 } languages ? string.Join(", ", languages) : null,
            Regions = s.When.Regions is { Count: > 0 } regions ? string.Join(", ", regions) : null,
            Clients = s.When.HasClientCondition ? string.Join(", ", (s.When.Clients ?? []).Concat(s.When.NoClient == true ? [NoClientWord] : [])) : null,
            Disputed = Flag(s.When.Disputed),
            OnPlan = Flag(s.When.OnPlan),
            Arms = s.Arms.Select(a => new ArmForm
            {
                Name = a.Name,
                Percent = Text(a.Percent),
                Steps = a.Steps.Select(st => new StepForm
                {
                    Key = st.Key,
                    Action = DailyRunNames.Action(st.Action),
                    Trigger = st.OnEvent is { } e ? DailyRunNames.Event(e) : "days",
                    Days = Text(st.DaysPastDue),
                    Template = st.Template,
                    Priority = Text(st.Priority),
                    Queue = st.Queue,
                }).ToList(),
            }).ToList(),
        }).ToList(),
    };

    /// <summary>The definition, or the fields that could not be read (a number that is not one, an unknown action).</summary>
    public (StrategyDefinition? Strategy, IReadOnlyList<Error> Errors) ToDefinition()
    {
        var errors = new List<Error>();
        void Add(string field, string message) => errors.Add(new Error("invalid_strategy", message, field));

        var segments = Segments.Select((s, si) =>
        {
            var at = $"segments[{si}]";
            var types = new List<DebtType>();
            foreach (var word in Words(s.DebtTypes))
            {
                if (Enum.TryParse<DebtType>(word, ignoreCase: true, out var type) && !int.TryParse(word, CultureInfo.InvariantCulture, out _))
                {
                    types.Add(type);
                }
                else
                {
                    Add($"{at}.when.debt_types", $"'{word}' is not a kind of debt; write consumer, commercial or medical");
                }
            }

            var when = new SegmentCondition(
                types.Count > 0 ? types : null,
                Decimal(s.BalanceFrom, $"{at}.when.balance_from", Add),
                Decimal(s.BalanceTo, $"{at}.when.balance_to", Add),
                Int(s.DaysFrom, $"{at}.when.days_past_due_from", Add),
                Int(s.DaysTo, $"{at}.when.days_past_due_to", Add),
                Int(s.RiskFrom, $"{at}.when.risk_score_from", Add),
                Int(s.RiskTo, $"{at}.when.risk_score_to", Add),
                Words(s.Languages).Select(w => w.ToLowerInvariant()).ToList() is { Count: > 0 } languages ? languages : null,
                Words(s.Regions).Select(w => w.ToUpperInvariant()).ToList() is { Count: > 0 } regions ? regions : null,
                Bool(s.Disputed),
                Bool(s.OnPlan),
                Words(s.Clients).Where(w => !IsNoClient(w)).Select(w => w.ToUpperInvariant()).ToList() is { Count: > 0 } clients ? clients : null,
                Words(s.Clients).Any(IsNoClient) ? true : null);
            var arms = s.Arms.Select((a, ai) =>
            {
                var armAt = $"{at}.arms[{ai}]";
                var steps = a.Steps.Select((st, i) =>
                {
                    var stepAt = $"{armAt}.steps[{i}]";
                    var action = DailyRunNames.ParseAction(st.Action);
                    if (action is null)
                    {
                        Add($"{stepAt}.action", "Choose what the step does");
                    }

                    var onEvent = st.Trigger is null or "days" ? null : DailyRunNames.ParseEvent(st.Trigger);
                    var days = st.Trigger is null or "days" ? Int(st.Days, $"{stepAt}.days_past_due", Add) : null;
                    if (st.Trigger is null or "days" && days is null && !errors.Any(e => e.Field == $"{stepAt}.days_past_due"))
                    {
                        Add($"{stepAt}.days_past_due", "Say at how many days past due the step comes (negative: before the due date)");
                    }

                    return new StrategyStep(
                        (st.Key ?? "").Trim(),
                        action ?? StepAction.Letter,
                        days,
                        onEvent,
                        string.IsNullOrWhiteSpace(st.Template) ? null : st.Template.Trim(),
                        Int(st.Priority, $"{stepAt}.priority", Add) ?? 3,
                        string.IsNullOrWhiteSpace(st.Queue) ? null : st.Queue.Trim());
                }).ToList();
                return new StrategyArm((a.Name ?? "").Trim(), Int(a.Percent, $"{armAt}.percent", Add) ?? (s.Arms.Count == 1 ? 100 : 0), steps);
            }).ToList();
            return new StrategySegment((s.Name ?? "").Trim(), when, arms);
        }).ToList();

        var strategy = new StrategyDefinition((Name ?? "").Trim(), Dunning == "invoice" ? DunningLevel.Invoice : DunningLevel.Account, segments);
        return (errors.Count == 0 ? strategy : null, errors);
    }

    /// <summary>Lists the browser sent nothing for (an arm without steps) come back from the form binding as null: make them empty.</summary>
    public StrategyForm Normalise()
    {
        Segments ??= [];
        foreach (var segment in Segments)
        {
            segment.Arms ??= [];
            foreach (var arm in segment.Arms)
            {
                arm.Steps ??= [];
            }
        }

        return this;
    }

    /// <summary>Carries out an add/remove/move button; false when the command is not one of those.</summary>
    public bool Apply(string? command)
    {
        var parts = (command ?? "").Split(':');
        int At(int i) => int.Parse(parts[i], CultureInfo.InvariantCulture);
        try
        {
            switch (parts[0])
            {
                case "add-segment":
                    Segments.Add(new SegmentForm { Name = $"Segment {Segments.Count + 1}", Arms = [new ArmForm { Name = "champion", Percent = "100" }] });
                    return true;
                case "remove-segment":
                    Segments.RemoveAt(At(1));
                    return true;
                case "up-segment" when At(1) > 0:
                    (Segments[At(1) - 1], Segments[At(1)]) = (Segments[At(1)], Segments[At(1) - 1]);
                    return true;
                case "add-arm":
                    var arms = Segments[At(1)].Arms;
                    arms.Add(new ArmForm { Name = arms.Count == 1 ? "challenger" : $"challenger {arms.Count}", Percent = "0", Steps = arms.LastOrDefault()?.Steps.Select(s => s.Copy()).ToList() ?? [] });
                    return true;
                case "remove-arm":
                    Segments[At(1)].Arms.RemoveAt(At(2));
                    return true;
                case "add-step":
                    Segments[At(1)].Arms[At(2)].Steps.Add(new StepForm { Action = "letter", Trigger = "days", Priority = "3" });
                    return true;
                case "remove-step":
                    Segments[At(1)].Arms[At(2)].Steps.RemoveAt(At(3));
                    return true;
                default:
                    return false;
            }
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or FormatException or IndexOutOfRangeException)
        {
            return false; // a stale page's button: nothing to do
        }
    }

    private static string? Text(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Text(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string Flag(bool? value) => value switch { true => "yes", false => "no", null => "any" };

    private static bool? Bool(string? value) => value switch { "yes" => true, "no" => false, _ => null };

    /// <summary>In the clients field, the word for "accounts without a client".</summary>
    public const string NoClientWord = "none";

    private static bool IsNoClient(string word) => string.Equals(word, NoClientWord, StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> Words(string? text) =>
        (text ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int? Int(string? text, string field, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        add(field, $"'{text}' is not a whole number");
        return null;
    }

    private static decimal? Decimal(string? text, string field, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (decimal.TryParse(text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            return value;
        }

        add(field, $"'{text}' is not an amount (write it like 250 or 1500.00)");
        return null;
    }
}

public sealed class SegmentForm
{
    /// <summary>Clients: codes, and this word for accounts without a client.</summary>
    public string? Clients { get; set; }

    public string? Name { get; set; }
    public string? DebtTypes { get; set; }
    public string? BalanceFrom { get; set; }
    public string? BalanceTo { get; set; }
    public string? DaysFrom { get; set; }
    public string? DaysTo { get; set; }
    public string? RiskFrom { get; set; }
    public string? RiskTo { get; set; }
    public string? Languages { get; set; }
    public string? Regions { get; set; }
    public string? Disputed { get; set; } = "any";
    public string? OnPlan { get; set; } = "any";
    public List<ArmForm> Arms { get; set; } = [];
}

public sealed class ArmForm
{
    public string? Name { get; set; }
    public string? Percent { get; set; }
    public List<StepForm> Steps { get; set; } = [];
}

public sealed class StepForm
{
    public string? Key { get; set; }
    public string? Action { get; set; }

    /// <summary><c>days</c>, or an event: <c>promise_broken</c>, <c>plan_defaulted</c>, <c>payment_returned</c>.</summary>
    public string? Trigger { get; set; }

    public string? Days { get; set; }
    public string? Template { get; set; }
    public string? Priority { get; set; }
    public string? Queue { get; set; }

    public StepForm Copy() => (StepForm)MemberwiseClone();
}

/// <summary>The names actions and events have in the JSON, the steps-taken table and the editor.</summary>
public static class DailyRunNames
{
    public static string Action(StepAction action) => Services.Strategies.DailyRun.ActionName(action);

    public static string Event(StrategyEvent e) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(e.ToString());

    public static StepAction? ParseAction(string? name) => Enum.GetValues<StepAction>().Cast<StepAction?>().FirstOrDefault(a => Action(a!.Value) == name);

    public static StrategyEvent? ParseEvent(string? name) => Enum.GetValues<StrategyEvent>().Cast<StrategyEvent?>().FirstOrDefault(e => Event(e!.Value) == name);

    public static string ActionLabel(StepAction action) => action switch
    {
        StepAction.Letter => "Send a letter",
        StepAction.Email => "Send an e-mail",
        StepAction.Sms => "Send a text",
        StepAction.CallTask => "Call task",
        StepAction.CreditHold => "Credit hold",
        StepAction.WriteOff => "Propose write-off",
        StepAction.Escalation => "Escalate (legal / agency)",
        StepAction.AssignQueue => "Assign to a queue",
        _ => action.ToString(),
    };

    public static string EventLabel(StrategyEvent e) => e switch
    {
        StrategyEvent.PromiseBroken => "When a promise is broken",
        StrategyEvent.PlanDefaulted => "When a plan defaults",
        StrategyEvent.PaymentReturned => "When a payment is returned",
        _ => e.ToString(),
    };
}
