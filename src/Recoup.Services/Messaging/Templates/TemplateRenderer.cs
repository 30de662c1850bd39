using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using Fluid;
using Recoup.Data.Messaging.Templates;
using Recoup.Services.Messaging.Letters;

namespace Recoup.Services.Messaging.Templates;

/// <summary>A message as rendered: the subject, the plain text, and the HTML (e-mails and letters).</summary>
public sealed record RenderedMessage(string? Subject, string Text, string? Html);

/// <summary>
/// Renders a template version against a model. Parsed templates are cached by their source, so a letter run
/// parses each template once. Every e-mail carries the opt-out link (appended when the template does not show
/// <c>opt_out_url</c> itself) and every text ends with the STOP sentence in its language.
/// </summary>
public static class TemplateRenderer
{
    private static readonly ConcurrentDictionary<string, IFluidTemplate> Parsed = new(StringComparer.Ordinal);

    /// <param name="letterHtml">Whether a letter gets its HTML page too (a preview shows it; the outbox does not store it).</param>
    public static RenderedMessage Render(MessageTemplateVersion template, IReadOnlyDictionary<string, object?> model, bool letterHtml = true)
    {
        var language = TemplateFormat.Normalize(template.Language);
        var context = new TemplateContext(TemplateCheck.Options);
        foreach (var (name, value) in model)
        {
            context.SetValue(name, value);
        }

        var subject = template.Subject is null ? null : Apply(template.Subject, context, NullEncoder.Default).Trim();
        var markup = Apply(template.Body, context, NullEncoder.Default).Trim();
        var optOutUrl = model.TryGetValue("opt_out_url", out var url) ? url as string ?? "" : "";
        switch (template.Channel)
        {
            case TemplateChannel.Sms:
            {
                var text = LetterMarkup.ToPlainText(markup).ReplaceLineEndings(" ").Trim();
                var stop = TemplateFormat.SmsOptOut(language);
                return new RenderedMessage(null, text.EndsWith(stop, StringComparison.Ordinal) ? text : $"{text} {stop}", null);
            }

            case TemplateChannel.Email:
            {
                if (!markup.Contains(optOutUrl, StringComparison.Ordinal))
                {
                    markup = $"{markup}\n\n---\n{TemplateFormat.EmailOptOut(language)} {optOutUrl}";
                }

                var html = template.Html is { Length: > 0 } source ? Apply(source, context, HtmlEncoder.Default) : LetterMarkup.Document(subject ?? "", LetterMarkup.ToHtml(markup), language);
                if (!html.Contains(optOutUrl, StringComparison.Ordinal))
                {
                    var footer = $"<p class=\"opt-out\">{System.Net.WebUtility.HtmlEncode(TemplateFormat.EmailOptOut(language))} <a href=\"{optOutUrl}\">{optOutUrl}</a></p>";
                    html = html.Contains("</body>", StringComparison.OrdinalIgnoreCase) ? html.Replace("</body>", footer + "</body>", StringComparison.OrdinalIgnoreCase) : html + footer;
                }

                return new RenderedMessage(subject, LetterMarkup.ToPlainText(markup), html);
            }

            case TemplateChannel.Letter:
                return new RenderedMessage(subject, markup, letterHtml ? LetterMarkup.Document(subject ?? "", LetterMarkup.ToHtml(markup), language) : null);
            default:
                throw new InvalidOperationException($"Unknown channel {template.Channel}");
        }
    }

    private static string Apply(string source, TemplateContext context, TextEncoder encoder)
    {
        var template = Parsed.GetOrAdd(source, s => TemplateCheck.Parser.TryParse(s, out var parsed, out var error)
            ? parsed
            : throw new InvalidOperationException($"A saved template does not parse: {error}"));
        return template.Render(context, encoder);
    }
}
