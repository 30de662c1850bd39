using System.Text.Json;
using System.Text.Json.Serialization;
using Recoup.Domain;
using Recoup.Domain.Strategies;

namespace Recoup.Services.Strategies;

/// <summary>
/// A strategy definition as JSON, the form it is stored, edited and exchanged in (docs/strategies.md):
/// snake_case names, enums as snake_case strings, absent values left out. Reading refuses a property it
/// does not know, so a misspelt condition is an error and not a condition silently ignored.
/// </summary>
public static class StrategyJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        WriteIndented = true,
    };

    public static string Write(StrategyDefinition strategy) => JsonSerializer.Serialize(strategy, Options);

    /// <summary>The definition, or an error naming where the JSON is wrong; the strategy's own rules are checked by <see cref="StrategyRules"/>.</summary>
    public static Result<StrategyDefinition> Read(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<StrategyDefinition>(json, Options) is { } strategy
                ? Result<StrategyDefinition>.Ok(Normalise(strategy))
                : Result<StrategyDefinition>.Fail("invalid_strategy", "The strategy is empty (null)");
        }
        catch (JsonException e)
        {
            return Result<StrategyDefinition>.Fail("invalid_strategy", $"The strategy is not valid JSON for a strategy at {e.Path ?? "$"}: {e.Message.Split(" Path:")[0]}", e.Path);
        }
    }

    // Lists left out of the JSON come back as null from the constructor; an absent list is an empty one.
    private static StrategyDefinition Normalise(StrategyDefinition strategy) => strategy with
    {
        Segments = (strategy.Segments ?? []).Select(s => s with
        {
            When = s.When ?? SegmentCondition.Any,
            Arms = (s.Arms ?? []).Select(a => a with { Steps = a.Steps ?? [] }).ToList(),
        }).ToList(),
    };
}
