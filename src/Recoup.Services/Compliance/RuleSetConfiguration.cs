using System.Globalization;
using Microsoft.Extensions.Configuration;
using Recoup.Domain.Compliance;

namespace Recoup.Services.Compliance;

/// <summary>The configured rule set is wrong: the message names every key at fault and what is wrong with it.</summary>
public sealed class RuleSetConfigurationException(IReadOnlyList<string> problems) : Exception(
    $"The compliance rules in the configuration ({RuleSetConfiguration.SectionName}) are invalid:{Environment.NewLine}"
    + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)) + Environment.NewLine
    + "Set them in appsettings.json or as environment variables such as Recoup__Compliance__CallsFrom; see docs/compliance.md, \"Configuration\".")
{
    /// <summary>One line per problem: <c>KEY: what is wrong</c>.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// Reads the gate's <see cref="RuleSet"/> from the configuration section <c>Recoup:Compliance</c> (appsettings.json,
/// or environment variables <c>Recoup__Compliance__KEY</c>). A key not given keeps <see cref="RuleSet.Default"/>'s
/// value; an unknown key, a value that does not parse, or a value that would make a federal rule laxer than the law
/// is a problem. Lists are JSON arrays (<c>KEY__0</c>, <c>KEY__1</c> as environment variables) or one comma-separated value.
/// </summary>
public static class RuleSetConfiguration
{
    public const string SectionName = "Recoup:Compliance";

    private static readonly string[] Settings =
    [
        nameof(RuleSet.ApplyConsumerRulesToFirstPartyCreditors), nameof(RuleSet.ApplyConsumerRulesToCommercialDebts), nameof(RuleSet.CallsFrom),
        nameof(RuleSet.CallsUntil), nameof(RuleSet.MaxCallsPerSevenDays), nameof(RuleSet.TreatUnknownLinesAsMobile), nameof(RuleSet.PassiveCollectionWaitDays),
        nameof(RuleSet.RequireTimeBarredDisclosure), nameof(RuleSet.FallbackTimeZones), nameof(RuleSet.DisabledRules), nameof(RuleSet.StateRules),
    ];

    private static readonly string[] StateSettings =
    [
        nameof(StateRule.State), nameof(StateRule.Citation), nameof(StateRule.CallsFrom), nameof(StateRule.CallsUntil),
        nameof(StateRule.MaxContactsPerSevenDays), "Channels", nameof(StateRule.CountsUnansweredCalls),
    ];

    private static readonly TimeOnly FederalFrom = RuleSet.Default.CallsFrom;
    private static readonly TimeOnly FederalUntil = RuleSet.Default.CallsUntil;

    /// <summary>The configured rule set; <see cref="RuleSet.Default"/> without configuration. Throws <see cref="RuleSetConfigurationException"/> naming every problem.</summary>
    public static RuleSet Load(IConfiguration? configuration)
    {
        if (configuration is null)
        {
            return RuleSet.Default;
        }

        var (rules, problems) = Read(configuration);
        return problems.Count == 0 ? rules : throw new RuleSetConfigurationException(problems);
    }

    /// <summary>The configured rule set and every problem found (<c>KEY: what is wrong</c>); the rule set is only meaningful when there are none.</summary>
    public static (RuleSet Rules, IReadOnlyList<string> Problems) Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var reader = new Reader();
        reader.RefuseUnknown(section, SectionName, Settings);
        var d = RuleSet.Default;
        var from = reader.Time(section, SectionName, nameof(RuleSet.CallsFrom), d.CallsFrom);
        var until = reader.Time(section, SectionName, nameof(RuleSet.CallsUntil), d.CallsUntil);
        if (from < FederalFrom)
        {
            reader.Problem(SectionName, nameof(RuleSet.CallsFrom),
                $"{Hm(from)} is earlier than {Hm(FederalFrom)}, the earliest convenient time under 12 CFR 1006.6(b)(1)(i); the calling hours may only be narrowed (a debtor's consent to an earlier call is a manager's exception)");
        }

        if (until > FederalUntil)
        {
            reader.Problem(SectionName, nameof(RuleSet.CallsUntil),
                $"{Hm(until)} is later than {Hm(FederalUntil)}, the latest convenient time under 12 CFR 1006.6(b)(1)(i); the calling hours may only be narrowed (a debtor's consent to a later call is a manager's exception)");
        }
        else if (until <= from && from >= FederalFrom)
        {
            reader.Problem(SectionName, nameof(RuleSet.CallsUntil), $"{Hm(until)} is not after CallsFrom ({Hm(from)}): no time would be convenient");
        }

        var maxCalls = reader.Int(section, SectionName, nameof(RuleSet.MaxCallsPerSevenDays), d.MaxCallsPerSevenDays);
        if (maxCalls is < 1 or > 7)
        {
            reader.Problem(SectionName, nameof(RuleSet.MaxCallsPerSevenDays), maxCalls < 1
                ? $"{maxCalls} is less than 1; to stop checking call frequency, add call-frequency to DisabledRules"
                : $"{maxCalls} is more than 7, the most calls in 7 days that 12 CFR 1006.14(b)(2)(i)(A) allows; the limit may only be lowered (1 to 7)");
        }

        var wait = reader.Int(section, SectionName, nameof(RuleSet.PassiveCollectionWaitDays), d.PassiveCollectionWaitDays);
        if (wait is < 14 or > 365)
        {
            reader.Problem(SectionName, nameof(RuleSet.PassiveCollectionWaitDays), wait < 14
                ? $"{wait} days is shorter than the 14 consecutive days of 12 CFR 1006.30(a)(1)(ii); use 14 to 365"
                : $"{wait} days is more than a year; use 14 to 365");
        }

        var zones = reader.List(section, SectionName, nameof(RuleSet.FallbackTimeZones));
        foreach (var zone in zones ?? [])
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            {
                reader.Problem(SectionName, nameof(RuleSet.FallbackTimeZones), $"'{zone}' is not an IANA time zone such as America/Chicago");
            }
        }

        var disabled = reader.List(section, SectionName, nameof(RuleSet.DisabledRules)) ?? [];
        foreach (var id in disabled)
        {
            if (ComplianceRules.Find(id) is null)
            {
                reader.Problem(SectionName, nameof(RuleSet.DisabledRules), $"'{id}' is not a rule id; the rule ids are {string.Join(", ", ComplianceRules.All.Select(r => r.Id))}");
            }
        }

        var rules = d with
        {
            ApplyConsumerRulesToFirstPartyCreditors = reader.Bool(section, SectionName, nameof(RuleSet.ApplyConsumerRulesToFirstPartyCreditors), d.ApplyConsumerRulesToFirstPartyCreditors),
            ApplyConsumerRulesToCommercialDebts = reader.Bool(section, SectionName, nameof(RuleSet.ApplyConsumerRulesToCommercialDebts), d.ApplyConsumerRulesToCommercialDebts),
            CallsFrom = from,
            CallsUntil = until,
            MaxCallsPerSevenDays = maxCalls,
            TreatUnknownLinesAsMobile = reader.Bool(section, SectionName, nameof(RuleSet.TreatUnknownLinesAsMobile), d.TreatUnknownLinesAsMobile),
            PassiveCollectionWaitDays = wait,
            RequireTimeBarredDisclosure = reader.Bool(section, SectionName, nameof(RuleSet.RequireTimeBarredDisclosure), d.RequireTimeBarredDisclosure),
            FallbackTimeZones = zones is { Count: > 0 } ? zones : d.FallbackTimeZones,
            DisabledRules = [.. disabled.Distinct(StringComparer.Ordinal)],
            StateRules = StateRules(section.GetSection(nameof(RuleSet.StateRules)), reader, d.StateRules),
        };
        return (rules, reader.Problems);
    }

    /// <summary>The shipped state rules, each replaced by a configured rule for the same state, followed by the other configured ones.</summary>
    private static IReadOnlyList<StateRule> StateRules(IConfigurationSection section, Reader reader, IReadOnlyList<StateRule> shipped)
    {
        var configured = new List<StateRule>();
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var path = $"{SectionName}:{nameof(RuleSet.StateRules)}";
        foreach (var child in section.GetChildren().OrderBy(c => int.TryParse(c.Key, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue))
        {
            var at = $"{path}:{child.Key}";
            reader.RefuseUnknown(child, at, StateSettings);
            var state = child[nameof(StateRule.State)]?.Trim().ToUpperInvariant();
            if (string.IsNullOrEmpty(state))
            {
                reader.Problem(at, nameof(StateRule.State), "Give the state's two-letter code, e.g. NY");
            }
            else if (state.Length != 2 || !state.All(char.IsAsciiLetterUpper))
            {
                reader.Problem(at, nameof(StateRule.State), $"'{child[nameof(StateRule.State)]}' is not a two-letter state code such as NY");
            }
            else if (!seen.TryAdd(state, child.Key))
            {
                reader.Problem(at, nameof(StateRule.State), $"{state} is already configured in {path}:{seen[state]}; give one rule per state");
            }

            var citation = child[nameof(StateRule.Citation)]?.Trim();
            if (string.IsNullOrEmpty(citation))
            {
                reader.Problem(at, nameof(StateRule.Citation), "Give the state law the rule comes from, e.g. 940 CMR 7.04(1)(f)");
            }

            var from = reader.OptionalTime(child, at, nameof(StateRule.CallsFrom));
            var until = reader.OptionalTime(child, at, nameof(StateRule.CallsUntil));
            if (from is { } f && until is { } u && u <= f)
            {
                reader.Problem(at, nameof(StateRule.CallsUntil), $"{Hm(u)} is not after CallsFrom ({Hm(f)}): no time would be convenient");
            }

            int? max = string.IsNullOrWhiteSpace(child[nameof(StateRule.MaxContactsPerSevenDays)]) ? null : reader.Int(child, at, nameof(StateRule.MaxContactsPerSevenDays), 1);
            if (max is < 1)
            {
                reader.Problem(at, nameof(StateRule.MaxContactsPerSevenDays), $"{max} is less than 1");
            }

            var channels = new List<ContactChannel>();
            foreach (var name in reader.List(child, at, "Channels") ?? [])
            {
                if (ContactChannels.Parse(name) is { } channel)
                {
                    channels.Add(channel);
                }
                else
                {
                    reader.Problem(at, "Channels", $"'{name}' is not a channel; use call, sms, email or letter");
                }
            }

            if (from is null && until is null && max is null && !string.IsNullOrEmpty(state))
            {
                reader.Problem(at, null, "The rule sets neither calling hours (CallsFrom, CallsUntil) nor a limit (MaxContactsPerSevenDays), so it does nothing");
            }

            configured.Add(new StateRule(state ?? "", citation ?? "", from, until, max, channels.Count > 0 ? channels : null,
                reader.Bool(child, at, nameof(StateRule.CountsUnansweredCalls), true)));
        }

        return [.. shipped.Where(s => !seen.ContainsKey(s.State)), .. configured];
    }

    private static string Hm(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Reads values and collects every problem, each prefixed with its full key.</summary>
    private sealed class Reader
    {
        private static readonly string[] TimeFormats = ["H:mm", "HH:mm", "HH:mm:ss"];

        public List<string> Problems { get; } = [];

        public void Problem(string path, string? key, string message) => Problems.Add($"{(key is null ? path : path + ":" + key)}: {message}");

        public void RefuseUnknown(IConfigurationSection section, string path, string[] known)
        {
            foreach (var child in section.GetChildren())
            {
                if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                {
                    Problems.Add($"{path}:{child.Key} is not a setting; the settings are {string.Join(", ", known)}");
                }
            }
        }

        public bool Bool(IConfigurationSection section, string path, string key, bool fallback)
        {
            var text = section[key];
            if (string.IsNullOrWhiteSpace(text))
            {
                return fallback;
            }

            if (bool.TryParse(text, out var value))
            {
                return value;
            }

            Problem(path, key, $"'{text}' is not true or false");
            return fallback;
        }

        public int Int(IConfigurationSection section, string path, string key, int fallback)
        {
            var text = section[key];
            if (string.IsNullOrWhiteSpace(text))
            {
                return fallback;
            }

            if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Problem(path, key, $"'{text}' is not a whole number");
            return fallback;
        }

        public TimeOnly Time(IConfigurationSection section, string path, string key, TimeOnly fallback) => OptionalTime(section, path, key) ?? fallback;

        public TimeOnly? OptionalTime(IConfigurationSection section, string path, string key)
        {
            var text = section[key];
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (TimeOnly.TryParseExact(text.Trim(), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            {
                return value;
            }

            Problem(path, key, $"'{text}' is not a time of day like 08:00");
            return null;
        }

        /// <summary>A JSON array, or one comma-separated value; null when the key is not given.</summary>
        public List<string>? List(IConfigurationSection section, string path, string key)
        {
            var list = section.GetSection(key);
            var items = list.GetChildren().Select(c => c.Value).Append(list.Value)
                .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .ToList();
            if (list.GetChildren().Any(c => c.GetChildren().Any()))
            {
                Problem(path, key, "Give a list of values, not of objects");
            }

            return items.Count == 0 ? null : items;
        }
    }
}
