using System.Reflection;
using Recoup.Data.Messaging.Templates;

namespace Recoup.Services.Messaging.Templates;

/// <summary>A template as shipped: one part of a <c>KEY.LANGUAGE.liquid</c> resource.</summary>
public sealed record StandardTemplate(string Key, TemplateChannel Channel, string Language, string? Subject, string Body);

/// <summary>
/// The standard templates, kept as embedded files (<c>Messaging/Templates/Standard/KEY.LANGUAGE.liquid</c>) so they
/// read well. A file holds the parts of one template in one language, each under a marker line:
/// <c>=== subject</c>, <c>=== email</c>, <c>=== sms</c>, <c>=== letter</c> (a file without a letter part uses the
/// e-mail text for the letter; one without an SMS part has no SMS).
/// </summary>
public static class StandardTemplates
{
    /// <summary>Every standard key, in the order the templates screen lists them.</summary>
    public static IReadOnlyList<string> Keys { get; } =
    [
        "first_reminder", "second_reminder", "final_demand", "validation_notice", "payment_plan_confirmation", "installment_reminder",
        "broken_promise", "dispute_acknowledgement", "dispute_resolution", "settlement_offer", "paid_in_full", "credit_hold_notice",
        "monthly_statement",
    ];

    private static readonly Lazy<IReadOnlyList<StandardTemplate>> Loaded = new(Load);

    public static IReadOnlyList<StandardTemplate> All => Loaded.Value;

    private static List<StandardTemplate> Load()
    {
        var assembly = typeof(StandardTemplates).Assembly;
        var templates = new List<StandardTemplate>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Recoup.Templates.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var parts = name["Recoup.Templates.".Length..].Split('.');
            if (parts.Length != 3 || parts[2] != "liquid")
            {
                throw new InvalidOperationException($"Template resource {name} is not named KEY.LANGUAGE.liquid");
            }

            templates.AddRange(Parse(parts[0], parts[1], Read(assembly, name)));
        }

        return templates;
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Splits one file into its templates.</summary>
    public static IEnumerable<StandardTemplate> Parse(string key, string language, string text)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        var lines = new List<string>();
        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.StartsWith("=== ", StringComparison.Ordinal))
            {
                if (current is not null)
                {
                    sections[current] = string.Join('\n', lines).Trim('\n');
                }

                current = line[4..].Trim();
                lines.Clear();
            }
            else if (current is not null)
            {
                lines.Add(line);
            }
        }

        if (current is not null)
        {
            sections[current] = string.Join('\n', lines).Trim('\n');
        }

        var subject = sections.GetValueOrDefault("subject");
        if (sections.TryGetValue("email", out var email))
        {
            yield return new StandardTemplate(key, TemplateChannel.Email, language, subject, email);
        }

        if (sections.TryGetValue("letter", out var letter) || email is not null)
        {
            yield return new StandardTemplate(key, TemplateChannel.Letter, language, subject, letter ?? email!);
        }

        if (sections.TryGetValue("sms", out var sms))
        {
            yield return new StandardTemplate(key, TemplateChannel.Sms, language, null, sms);
        }
    }
}
