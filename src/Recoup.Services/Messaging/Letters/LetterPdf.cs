using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Graphics.Operations;
using UglyToad.PdfPig.Graphics.Operations.TextObjects;
using UglyToad.PdfPig.Graphics.Operations.TextShowing;
using UglyToad.PdfPig.Graphics.Operations.TextState;
using UglyToad.PdfPig.Graphics.Operations.TextPositioning;
using UglyToad.PdfPig.Tokens;
using UglyToad.PdfPig.Writer;

namespace Recoup.Services.Messaging.Letters;

/// <summary>A letter ready to print: who sends it, who receives it, the date and the rendered body (in <see cref="LetterMarkup"/>).</summary>
public sealed record LetterDocument(
    string SenderName, string SenderAddress, string SenderPhone, string Date, string RecipientName, IReadOnlyList<string> RecipientAddress,
    string? Subject, string Body, string PageWord);

/// <summary>
/// Lays a letter out on US Letter pages and writes it as PDF with PdfPig's <see cref="PdfDocumentBuilder"/> and
/// the standard Helvetica fonts (nothing embedded, so a letter is a few kilobytes): the sender at the top, the
/// recipient where a window envelope shows it, the body with its headings, itemization rows (amounts aligned right),
/// rules and the tear-off form, which starts a new page when it would not fit; "Page n of m" at the foot.
/// </summary>
/// <remarks>
/// PdfPig 0.1.16 declares its standard fonts with <c>StandardEncoding</c>, which has no accented letters, and its
/// <c>AddText</c> refuses í, ó, ü, Ñ and others and is slow (≈20 ms a page). So the builder makes the pages, the fonts
/// and the file, and the text operators are written here: each line's glyphs as StandardEncoding bytes, an accented
/// letter as its base letter with the accent (acute, tilde, dieresis) drawn over it — as old PDF writers did — and
/// the widths from the fonts' metrics. A text extractor reads "ó" back as "o´"; printed, it is "ó".
/// </remarks>
public static class LetterPdf
{
    private const double PageWidth = 612, PageHeight = 792, Left = 64, Right = 548, Top = 740, Bottom = 64;
    private const double BodySize = 10, Leading = 13.5;

    private static readonly double[] RegularWidths = Widths(Standard14Font.Helvetica);
    private static readonly double[] BoldWidths = Widths(Standard14Font.HelveticaBold);

    /// <summary>Renders the letter; returns the PDF and its number of pages.</summary>
    public static (byte[] Pdf, int Pages) Render(LetterDocument letter)
    {
        var pages = Layout(letter);
        var builder = new PdfDocumentBuilder();
        var regular = builder.AddStandard14Font(Standard14Font.Helvetica);
        var bold = builder.AddStandard14Font(Standard14Font.HelveticaBold);
        for (var i = 0; i < pages.Count; i++)
        {
            var page = builder.AddPage(PageSize.Letter);

            // AddText registers each font with the page's resources and shows us the name it is known by there.
            page.AddText("x", 1, new PdfPoint(0, 0), regular);
            page.AddText("x", 1, new PdfPoint(0, 0), bold);
            var operations = Operations(page);
            var names = operations.OfType<SetFontAndSize>().Select(f => f.Font).ToList();
            operations.Clear();
            var fonts = (Regular: names[0], Bold: names[1]);
            foreach (var item in pages[i])
            {
                Draw(page, operations, fonts, item);
            }

            var footer = $"{letter.PageWord} {i + 1} / {pages.Count}";
            Draw(page, operations, fonts, new Item(ItemKind.Text, PageWidth - 64 - Measure(footer, false, 8), 40, footer, false, 8));
        }

        return (builder.Build(), pages.Count);
    }

    private enum ItemKind
    {
        Text,
        Line,
        DashedLine,
    }

    private sealed record Item(ItemKind Kind, double X, double Y, string Text = "", bool Bold = false, double Size = BodySize, double X2 = 0);

    private static List<List<Item>> Layout(LetterDocument letter)
    {
        var pages = new List<List<Item>> { new() };
        var items = pages[0];
        var y = Top;

        // Sender, date, recipient.
        items.Add(new Item(ItemKind.Text, Left, y, letter.SenderName, true, 13));
        y -= 14;
        items.Add(new Item(ItemKind.Text, Left, y, letter.SenderAddress, false, 8.5));
        y -= 11;
        items.Add(new Item(ItemKind.Text, Left, y, letter.SenderPhone, false, 8.5));
        items.Add(new Item(ItemKind.Text, Right - Measure(letter.Date, false, BodySize), Top, letter.Date));
        y = 650;
        items.Add(new Item(ItemKind.Text, Left + 8, y, letter.RecipientName, true));
        foreach (var line in letter.RecipientAddress)
        {
            y -= Leading;
            items.Add(new Item(ItemKind.Text, Left + 8, y, line));
        }

        y = 560;
        var blocks = LetterMarkup.Parse(letter.Body);
        if (letter.Subject is { Length: > 0 } subject && (blocks.Count == 0 || blocks[0].Kind != BlockKind.Heading))
        {
            foreach (var line in Wrap(subject, true, 11, Right - Left))
            {
                items.Add(new Item(ItemKind.Text, Left, y, line, true, 11));
                y -= 15;
            }

            y -= 6;
        }

        void NewPage()
        {
            items = [];
            pages.Add(items);
            y = Top;
        }

        void Need(double height)
        {
            if (y - height < Bottom)
            {
                NewPage();
            }
        }

        foreach (var block in blocks)
        {
            switch (block.Kind)
            {
                case BlockKind.Heading:
                case BlockKind.Subheading:
                {
                    var size = block.Kind == BlockKind.Heading ? 13 : 11;
                    y -= block.Kind == BlockKind.Heading ? 2 : 6;
                    foreach (var line in Wrap(block.Text, true, size, Right - Left))
                    {
                        Need(size + 6);
                        items.Add(new Item(ItemKind.Text, Left, y, line, true, size));
                        y -= size + 5;
                    }

                    break;
                }

                case BlockKind.Row:
                {
                    var amount = block.Cells.Count > 1 ? block.Cells[^1] : "";
                    var label = string.Join("  ", block.Cells.Take(Math.Max(1, block.Cells.Count - 1)));
                    var amountWidth = Measure(amount, false, BodySize);
                    var lines = Wrap(label, false, BodySize, Right - Left - Math.Max(amountWidth, 90) - 16);
                    Need((lines.Count * Leading) + 4);
                    for (var i = 0; i < lines.Count; i++)
                    {
                        items.Add(new Item(ItemKind.Text, Left + 6, y, lines[i]));
                        if (i == lines.Count - 1 && amount.Length > 0)
                        {
                            items.Add(new Item(ItemKind.Text, Right - 6 - amountWidth, y, amount));
                        }

                        if (i < lines.Count - 1)
                        {
                            y -= Leading;
                        }
                    }

                    items.Add(new Item(ItemKind.Line, Left, y - 4, X2: Right));
                    y -= Leading + 2;
                    break;
                }

                case BlockKind.Rule:
                    Need(Leading);
                    items.Add(new Item(ItemKind.Line, Left, y + 4, X2: Right));
                    y -= Leading;
                    break;
                case BlockKind.Cut:
                    // The response form goes on the page whole: start a new page when less than a third is left.
                    if (y < 300)
                    {
                        NewPage();
                    }

                    y -= 8;
                    items.Add(new Item(ItemKind.DashedLine, 20, y + 6, X2: PageWidth - 20));
                    y -= 12;
                    if (block.Text.Length > 0)
                    {
                        items.Add(new Item(ItemKind.Text, Left, y, block.Text, true, 11));
                        y -= 17;
                    }

                    break;
                case BlockKind.Text:
                    foreach (var line in Wrap(block.Text.Trim(), false, BodySize, Right - Left))
                    {
                        Need(Leading);
                        items.Add(new Item(ItemKind.Text, Left, y, line));
                        y -= Leading;
                    }

                    break;
                case BlockKind.Blank:
                    y -= Leading * 0.6;
                    break;
                default:
                    throw new InvalidOperationException($"Unknown block {block.Kind}");
            }
        }

        return pages;
    }

    private static void Draw(PdfPageBuilder page, List<IGraphicsStateOperation> operations, (NameToken Regular, NameToken Bold) fonts, Item item)
    {
        switch (item.Kind)
        {
            case ItemKind.Line:
                page.SetStrokeColor(200, 205, 212);
                page.DrawLine(new PdfPoint(item.X, item.Y), new PdfPoint(item.X2, item.Y), 0.5);
                page.ResetColor();
                return;
            case ItemKind.DashedLine:
                for (var dash = item.X; dash < item.X2; dash += 8)
                {
                    page.DrawLine(new PdfPoint(dash, item.Y), new PdfPoint(Math.Min(dash + 4, item.X2), item.Y), 0.7);
                }

                return;
            case ItemKind.Text:
                break;
            default:
                throw new InvalidOperationException($"Unknown item {item.Kind}");
        }

        var font = item.Bold ? fonts.Bold : fonts.Regular;
        var widths = item.Bold ? BoldWidths : RegularWidths;
        var bytes = new List<byte>(item.Text.Length);
        var accents = new List<(byte Glyph, double X, bool Raised)>();
        var x = 0.0;
        foreach (var c in item.Text)
        {
            var (glyph, accent) = Encode(c);
            if (accent != 0)
            {
                var raised = char.IsUpper(c);
                accents.Add((accent, x + ((widths[glyph] - widths[accent]) / 2 * item.Size / 1000), raised));
            }

            bytes.Add(glyph);
            x += widths[glyph] * item.Size / 1000;
        }

        Show(operations, font, item.Size, item.X, item.Y, [.. bytes]);
        foreach (var (glyph, offset, raised) in accents)
        {
            Show(operations, font, item.Size, item.X + offset, item.Y + (raised ? item.Size * 0.2 : 0), [glyph]);
        }
    }

    private static void Show(List<IGraphicsStateOperation> operations, NameToken font, double size, double x, double y, byte[] bytes)
    {
        operations.Add(BeginText.Value);
        operations.Add(new SetFontAndSize(font, size));
        operations.Add(new MoveToNextLineWithOffset(x, y));
        operations.Add(new ShowText(bytes));
        operations.Add(EndText.Value);
    }

    private static List<IGraphicsStateOperation> Operations(PdfPageBuilder page) =>
        (List<IGraphicsStateOperation>)page.CurrentStream.GetType().GetProperty("Operations")!.GetValue(page.CurrentStream)!;

    /// <summary>The width of a text in points.</summary>
    public static double Measure(string text, bool bold, double size)
    {
        var widths = bold ? BoldWidths : RegularWidths;
        var total = 0.0;
        foreach (var c in text)
        {
            total += widths[Encode(c).Glyph];
        }

        return total * size / 1000;
    }

    private static List<string> Wrap(string text, bool bold, double size, double width)
    {
        var lines = new List<string>();
        var words = text.Split(' ');
        var current = "";
        foreach (var word in words)
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (current.Length > 0 && Measure(candidate, bold, size) > width)
            {
                lines.Add(current);
                current = word;
            }
            else
            {
                current = candidate;
            }
        }

        lines.Add(current);
        return lines;
    }

    /// <summary>The StandardEncoding code of a character, and of the accent drawn over it (0 for none).</summary>
    private static (byte Glyph, byte Accent) Encode(char c)
    {
        const byte acute = 0xC2, grave = 0xC1, tilde = 0xC4, dieresis = 0xC8;
        return c switch
        {
            '\'' => (0xA9, 0),
            '`' => (0x60, 0),
            >= ' ' and <= '~' => ((byte)c, 0),
            'á' => ((byte)'a', acute),
            'é' => ((byte)'e', acute),
            'í' => (0xF5, acute),
            'ó' => ((byte)'o', acute),
            'ú' => ((byte)'u', acute),
            'ü' => ((byte)'u', dieresis),
            'ñ' => ((byte)'n', tilde),
            'à' => ((byte)'a', grave),
            'è' => ((byte)'e', grave),
            'Á' => ((byte)'A', acute),
            'É' => ((byte)'E', acute),
            'Í' => ((byte)'I', acute),
            'Ó' => ((byte)'O', acute),
            'Ú' => ((byte)'U', acute),
            'Ü' => ((byte)'U', dieresis),
            'Ñ' => ((byte)'N', tilde),
            '¿' => (0xBF, 0),
            '¡' => (0xA1, 0),
            '’' => (0x27, 0),
            '‘' => (0x60, 0),
            '“' => (0xAA, 0),
            '”' => (0xBA, 0),
            '–' => (0xB1, 0),
            '—' => (0xD0, 0),
            '•' => (0xB7, 0),
            '·' => (0xB4, 0),
            '§' => (0xA7, 0),
            '…' => (0xBC, 0),
            '\u00A0' or '\u202F' => ((byte)' ', 0),
            _ => ((byte)'?', 0),
        };
    }

    /// <summary>Advance widths (thousandths of the size) by StandardEncoding code: ASCII measured from the font's metrics, the rest from its AFM.</summary>
    private static double[] Widths(Standard14Font which)
    {
        var widths = new double[256];
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(which);
        var page = builder.AddPage(PageSize.Letter);
        for (var code = 32; code <= 126; code++)
        {
            var letters = page.MeasureText(((char)code).ToString(), 1000, new PdfPoint(0, 0), font);
            widths[code] = letters.Count == 0 ? 556 : letters[0].EndBaseLine.X - letters[0].StartBaseLine.X;
        }

        var bold = which == Standard14Font.HelveticaBold;
        widths[0xF5] = 278; // dotlessi
        widths[0xBF] = 611; // questiondown
        widths[0xA1] = 333; // exclamdown
        widths[0xC1] = widths[0xC2] = widths[0xC4] = widths[0xC8] = 333; // grave, acute, tilde, dieresis
        widths[0xB1] = 556; // endash
        widths[0xD0] = 1000; // emdash
        widths[0xB7] = 350; // bullet
        widths[0xB4] = 278; // periodcentered
        widths[0xA7] = 556; // section
        widths[0xBC] = 1000; // ellipsis
        widths[0xA9] = bold ? 238 : 191; // quotesingle
        widths[0x27] = bold ? 278 : 222; // quoteright
        widths[0x60] = bold ? 278 : 222; // quoteleft
        widths[0xAA] = widths[0xBA] = bold ? 500 : 333; // quotedblleft, quotedblright
        return widths;
    }
}
