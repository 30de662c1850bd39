using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Recoup.Services.Messaging.Letters;

/// <summary>The kinds of line in a letter or e-mail body (docs/letters.md, "Markup").</summary>
public enum BlockKind
{
    /// <summary><c># Title</c></summary>
    Heading,

    /// <summary><c>## Section</c></summary>
    Subheading,

    /// <summary>An ordinary line, wrapped when too long.</summary>
    Text,

    /// <summary><c>| Interest | 18.50 USD |</c>: cells; the last is aligned right.</summary>
    Row,

    /// <summary><c>---</c>: a thin line across the page.</summary>
    Rule,

    /// <summary><c>--- cut ---</c>: the dashed line above a tear-off form; on paper the form starts on a new page when it does not fit.</summary>
    Cut,

    /// <summary>An empty line: a gap.</summary>
    Blank,
}

public sealed record Block(BlockKind Kind, string Text, IReadOnlyList<string> Cells);

/// <summary>
/// The small markup message bodies are written in, so that one rendered text makes the PDF letter, the HTML and
/// the plain text: headings, rows of a table, rules and the tear-off cut line; everything else is text.
/// </summary>
public static partial class LetterMarkup
{
    public static IReadOnlyList<Block> Parse(string text)
    {
        var blocks = new List<Block>();
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.TrimEnd();
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0)
            {
                if (blocks.Count > 0 && blocks[^1].Kind != BlockKind.Blank)
                {
                    blocks.Add(new Block(BlockKind.Blank, "", []));
                }
            }
            else if (trimmed.StartsWith("## ", StringComparison.Ordinal))
            {
                blocks.Add(new Block(BlockKind.Subheading, trimmed[3..].Trim(), []));
            }
            else if (trimmed.StartsWith("# ", StringComparison.Ordinal))
            {
                blocks.Add(new Block(BlockKind.Heading, trimmed[2..].Trim(), []));
            }
            else if (trimmed.StartsWith('|'))
            {
                var cells = trimmed.Trim('|').Split('|').Select(c => c.Trim()).ToList();
                blocks.Add(new Block(BlockKind.Row, string.Join("  ", cells), cells));
            }
            else if (trimmed == "---")
            {
                blocks.Add(new Block(BlockKind.Rule, "", []));
            }
            else if (trimmed.StartsWith("--- cut", StringComparison.OrdinalIgnoreCase))
            {
                var label = trimmed[7..].Trim(' ', '-');
                blocks.Add(new Block(BlockKind.Cut, label, []));
            }
            else
            {
                blocks.Add(new Block(BlockKind.Text, line, []));
            }
        }

        while (blocks.Count > 0 && blocks[^1].Kind == BlockKind.Blank)
        {
            blocks.RemoveAt(blocks.Count - 1);
        }

        return blocks;
    }

    /// <summary>The body as plain text: markers removed, table cells separated by two spaces, the cut line drawn with dashes.</summary>
    public static string ToPlainText(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var block in Parse(text))
        {
            builder.Append(block.Kind switch
            {
                BlockKind.Rule => new string('-', 40),
                BlockKind.Cut => $"- - - - - {block.Text} - - - - -".Replace("  ", " ", StringComparison.Ordinal),
                BlockKind.Row => string.Join(": ", block.Cells.Where(c => c.Length > 0)),
                BlockKind.Heading or BlockKind.Subheading or BlockKind.Text or BlockKind.Blank => block.Text,
                _ => block.Text,
            }).Append('\n');
        }

        return builder.ToString().TrimEnd('\n');
    }

    /// <summary>The body as an HTML fragment: headings, paragraphs, a table for consecutive rows; links made clickable.</summary>
    public static string ToHtml(string text)
    {
        var html = new StringBuilder(text.Length * 2);
        var inTable = false;
        var inParagraph = false;
        foreach (var block in Parse(text))
        {
            if (block.Kind != BlockKind.Row && inTable)
            {
                html.Append("</table>\n");
                inTable = false;
            }

            if (block.Kind != BlockKind.Text && inParagraph)
            {
                html.Append("</p>\n");
                inParagraph = false;
            }

            switch (block.Kind)
            {
                case BlockKind.Heading:
                    html.Append("<h1>").Append(Inline(block.Text)).Append("</h1>\n");
                    break;
                case BlockKind.Subheading:
                    html.Append("<h2>").Append(Inline(block.Text)).Append("</h2>\n");
                    break;
                case BlockKind.Row:
                    if (!inTable)
                    {
                        html.Append("<table class=\"itemization\">\n");
                        inTable = true;
                    }

                    html.Append("<tr>");
                    for (var i = 0; i < block.Cells.Count; i++)
                    {
                        var right = i == block.Cells.Count - 1 && block.Cells.Count > 1;
                        html.Append(right ? "<td class=\"amount\">" : "<td>").Append(Inline(block.Cells[i])).Append("</td>");
                    }

                    html.Append("</tr>\n");
                    break;
                case BlockKind.Rule:
                    html.Append("<hr>\n");
                    break;
                case BlockKind.Cut:
                    html.Append("<div class=\"cut\">&#9986; ").Append(Inline(block.Text)).Append("</div>\n");
                    break;
                case BlockKind.Text:
                    html.Append(inParagraph ? "<br>\n" : "<p>");
                    inParagraph = true;
                    html.Append(Inline(block.Text.Trim()));
                    break;
                case BlockKind.Blank:
                    break;
                default:
                    throw new InvalidOperationException($"Unknown block {block.Kind}");
            }
        }

        if (inTable)
        {
            html.Append("</table>\n");
        }

        if (inParagraph)
        {
            html.Append("</p>\n");
        }

        return html.ToString();
    }

    /// <summary>A whole HTML document around a fragment, with the few styles letters and e-mails need.</summary>
    public static string Document(string title, string fragment, string language) =>
        $$"""
        <!DOCTYPE html>
        <html lang="{{language}}"><head><meta charset="utf-8"><title>{{WebUtility.HtmlEncode(title)}}</title>
        <style>body{font-family:Helvetica,Arial,sans-serif;font-size:14px;line-height:1.45;color:#1f2933;max-width:40em;margin:1.5em auto;padding:0 1em}h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.4em}table.itemization{border-collapse:collapse;min-width:24em}table.itemization td{padding:.2em .8em .2em 0;border-bottom:1px solid #e4e7eb}td.amount{text-align:right;white-space:nowrap}.cut{border-top:2px dashed #9aa5b1;margin:2em 0 1em;padding-top:.3em;color:#52606d;font-size:.9em}</style>
        </head><body>
        {{fragment}}</body></html>
        """;

    private static string Inline(string text) =>
        Link().Replace(WebUtility.HtmlEncode(text), m => $"<a href=\"{m.Value}\">{m.Value}</a>");

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex Link();
}
