using Recoup.Data.Messaging.Templates;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Domain.Strategies;
using Recoup.Services.Messaging.Templates;

namespace Recoup.Services.Strategies;

/// <summary>
/// Saving a strategy from the editor or the API: the strategy's own rules (<see cref="StrategyRules"/>),
/// then every message step's template must exist for its channel, then a new version (never an edit of
/// a past one). Every mistake comes back at once, each with where it is.
/// </summary>
public sealed class SaveStrategy(StrategyStore store, MessageTemplates templates)
{
    public async Task<(StoredStrategy? Saved, IReadOnlyList<Error> Errors)> RunAsync(DebtType debtType, StrategyDefinition strategy, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        var errors = StrategyRules.Check(strategy).Concat(await UnknownTemplatesAsync(strategy, ct)).Concat(await UnknownClientsAsync(strategy, ct)).ToList();
        return errors.Count > 0 ? (null, errors) : await store.SaveAsync(debtType, strategy, actor, ct);
    }

    /// <summary>Client codes of segment conditions that name no client, each at its segment's <c>when.clients</c>.</summary>
    public async Task<IReadOnlyList<Error>> UnknownClientsAsync(StrategyDefinition strategy, CancellationToken ct = default)
    {
        var codes = strategy.Segments.SelectMany(s => s.When.Clients ?? []).ToList();
        var unknown = (await store.UnknownClientsAsync(codes, ct)).ToHashSet(StringComparer.Ordinal);
        var errors = new List<Error>();
        for (var s = 0; s < strategy.Segments.Count; s++)
        {
            foreach (var code in (strategy.Segments[s].When.Clients ?? []).Where(c => unknown.Contains(Domain.Clients.ClientCode.Normalize(c) ?? "")))
            {
                errors.Add(new Error("unknown_client", $"There is no client '{code}'; add it on the Clients screen first", $"segments[{s}].when.clients"));
            }
        }

        return errors;
    }

    /// <summary>Message steps whose template has no version for the step's channel, each named with the templates there are.</summary>
    public async Task<IReadOnlyList<Error>> UnknownTemplatesAsync(StrategyDefinition strategy, CancellationToken ct = default)
    {
        var known = (await templates.ListAsync(ct)).ToLookup(t => t.Channel, t => t.Key);
        var errors = new List<Error>();
        for (var s = 0; s < strategy.Segments.Count; s++)
        {
            for (var a = 0; a < strategy.Segments[s].Arms.Count; a++)
            {
                var steps = strategy.Segments[s].Arms[a].Steps;
                for (var i = 0; i < steps.Count; i++)
                {
                    if (steps[i] is not { IsMessage: true, Template: { Length: > 0 } template } step)
                    {
                        continue;
                    }

                    var channel = Channel(step.Action);
                    var keys = known[channel].Distinct(StringComparer.Ordinal).ToList();
                    if (!keys.Contains(template, StringComparer.Ordinal))
                    {
                        var medium = step.Action switch { StepAction.Email => "e-mail", StepAction.Sms => "text", _ => "letter" };
                        var near = keys.Where(k => Distance(k, template) <= 2).OrderBy(k => Distance(k, template)).FirstOrDefault();
                        errors.Add(new Error("unknown_template",
                            (near is null ? $"There is no {medium} template '{template}'" : $"There is no {medium} template '{template}'; did you mean '{near}'?") +
                            $" The {medium} templates are {string.Join(", ", keys)}",
                            $"segments[{s}].arms[{a}].steps[{i}].template"));
                    }
                }
            }
        }

        return errors;
    }

    /// <summary>Edits (insertions, deletions, substitutions) between two names, for "did you mean".</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    public static TemplateChannel Channel(StepAction action) => action switch
    {
        StepAction.Letter => TemplateChannel.Letter,
        StepAction.Email => TemplateChannel.Email,
        StepAction.Sms => TemplateChannel.Sms,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Only letters, e-mails and texts have templates"),
    };
}
