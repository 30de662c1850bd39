using System.Net;
using System.Text.RegularExpressions;
using Recoup.Data.Outbox;

namespace Recoup.Services.Messaging.OptOut;

/// <summary>
/// Makes sure an e-mail or text to a debtor says how to opt out (12 CFR 1006.6(e)) before it leaves: the
/// templates put the opt-out link in every e-mail and "Reply STOP" in every text; a message written
/// without it (by hand, by an older template) gets a short notice added, in the message's language.
/// </summary>
public static partial class OptOutNotice
{
    /// <summary>The words a text reply may open with to opt out: the carriers' standard ones and their Spanish equivalents.</summary>
    public static IReadOnlySet<string> StopWords { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "PARAR", "ALTO",
    };

    /// <summary>Whether a text reply asks to opt out: its first word (case, accents of punctuation and spaces aside) is one of <see cref="StopWords"/>.</summary>
    public static bool IsStop(string? reply)
    {
        if (string.IsNullOrWhiteSpace(reply))
        {
            return false;
        }

        var first = FirstWord().Match(reply.Trim().ToUpperInvariant());
        return first.Success && StopWords.Contains(first.Value);
    }

    /// <summary>The text as it must go out: with "Reply STOP" unless it already names a stop word.</summary>
    public static string ForSms(string body, string? language)
    {
        ArgumentNullException.ThrowIfNull(body);
        var upper = body.ToUpperInvariant();
        if (StopWords.Any(w => Regex.IsMatch(upper, $@"\b{w}\b", RegexOptions.CultureInvariant)))
        {
            return body;
        }

        return body.TrimEnd() + (IsSpanish(language) ? " Responda PARAR para no recibir más mensajes." : " Reply STOP to opt out.");
    }

    /// <summary>The plain text as it must go out: with the opt-out link unless it already has it.</summary>
    public static string ForEmailText(string body, string optOutUrl, string? language)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Contains(optOutUrl, StringComparison.Ordinal))
        {
            return body;
        }

        var line = IsSpanish(language) ? "Para dejar de recibir correos electrónicos nuestros" : "To stop receiving e-mails from us";
        return $"{body.TrimEnd()}\n\n{line}: {optOutUrl}\n";
    }

    /// <summary>The HTML as it must go out: with a link to the opt-out page unless it already has it.</summary>
    public static string? ForEmailHtml(string? html, string optOutUrl, string? language)
    {
        if (html is null || html.Contains(optOutUrl, StringComparison.Ordinal))
        {
            return html;
        }

        var text = IsSpanish(language) ? "Dejar de recibir correos electrónicos" : "Stop receiving these e-mails";
        var link = $"<p style=\"font-size:12px;color:#555\"><a href=\"{WebUtility.HtmlEncode(optOutUrl)}\">{text}</a></p>";
        var end = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        return end < 0 ? html + link : html.Insert(end, link);
    }

    /// <summary>The message as it goes to a debtor: its text (and HTML) with the opt-out added where missing.</summary>
    public static OutboxMessage Apply(OutboxMessage message, string optOutUrl)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Channel switch
        {
            OutboxChannel.Email => Copy(message, ForEmailText(message.Body, optOutUrl, message.Language), ForEmailHtml(message.HtmlBody, optOutUrl, message.Language)),
            OutboxChannel.Sms => Copy(message, ForSms(message.Body, message.Language), message.HtmlBody),
            _ => message,
        };
    }

    private static OutboxMessage Copy(OutboxMessage m, string body, string? html) => new()
    {
        Id = m.Id, Channel = m.Channel, Purpose = m.Purpose, AccountId = m.AccountId, DebtorId = m.DebtorId, SubscriptionId = m.SubscriptionId,
        Recipient = m.Recipient, ContactPointId = m.ContactPointId, Subject = m.Subject, Body = body, HtmlBody = html, TemplateKey = m.TemplateKey,
        TemplateVersion = m.TemplateVersion, Language = m.Language, DedupKey = m.DedupKey, CreatedAt = m.CreatedAt, NotBefore = m.NotBefore,
        Status = m.Status, Attempts = m.Attempts, LastError = m.LastError, SentAt = m.SentAt, CreatedBy = m.CreatedBy, ClaimedAt = m.ClaimedAt, ClaimedBy = m.ClaimedBy,
    };

    private static bool IsSpanish(string? language) => language is not null && language.StartsWith("es", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^[A-Z]+", RegexOptions.CultureInvariant)]
    private static partial Regex FirstWord();
}
