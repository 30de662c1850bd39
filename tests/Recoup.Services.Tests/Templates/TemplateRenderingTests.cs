using Recoup.Data.Messaging.Templates;
using Recoup.Domain;
using Recoup.Services.Messaging.Letters;
using Recoup.Services.Messaging.Templates;
using UglyToad.PdfPig;

namespace Recoup.Services.Tests.Templates;

/// <summary>Every shipped template, in English and Spanish, rendered against the fixture account; save-time checks.</summary>
public sealed class TemplateRenderingTests
{
    private static readonly DateOnly Today = new(2026, 11, 30);
    private static readonly MessagingSettings Settings = new() { PublicBaseUrl = "https://recoup.example.com" };

    public static TheoryData<string, string, string> Shipped()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var t in StandardTemplates.All)
        {
            data.Add(t.Key, MessageTemplates.ChannelName(t.Channel), t.Language);
        }

        return data;
    }

    private static (MessageTemplateVersion Template, RenderedMessage Rendered, Guid Id) Render(string key, string channel, string language)
    {
        var shipped = StandardTemplates.All.Single(t => t.Key == key && MessageTemplates.ChannelName(t.Channel) == channel && t.Language == language);
        var template = new MessageTemplateVersion { Key = key, Channel = shipped.Channel, Language = language, Version = 1, Subject = shipped.Subject, Body = shipped.Body };
        var id = Guid.CreateVersion7();
        var model = TemplateModel.Build(TemplateModel.SampleFacts(Today), language, Settings, Settings.OptOutUrl(id));
        return (template, TemplateRenderer.Render(template, model), id);
    }

    [Fact]
    public void Every_standard_template_is_shipped_in_English_and_Spanish_as_email_and_letter()
    {
        foreach (var key in StandardTemplates.Keys)
        {
            foreach (var language in new[] { "en", "es" })
            {
                Assert.Contains(StandardTemplates.All, t => t.Key == key && t.Language == language && t.Channel == TemplateChannel.Letter);
                if (key != "monthly_statement")
                {
                    Assert.Contains(StandardTemplates.All, t => t.Key == key && t.Language == language && t.Channel == TemplateChannel.Email);
                }
            }
        }
    }

    [Theory, MemberData(nameof(Shipped))]
    public void A_shipped_template_passes_the_save_check_and_renders_every_value_of_the_fixture_account(string key, string channel, string language)
    {
        var shipped = StandardTemplates.All.Single(t => t.Key == key && MessageTemplates.ChannelName(t.Channel) == channel && t.Language == language);
        Assert.Empty(MessageTemplates.Validate(new SaveTemplate(key, shipped.Channel, language, shipped.Subject, shipped.Body, null)));

        var (_, rendered, id) = Render(key, channel, language);
        Assert.DoesNotContain("{{", rendered.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("{%", rendered.Text, StringComparison.Ordinal);
        switch (channel)
        {
            case "email":
                Assert.Contains($"https://recoup.example.com/opt-out/{id:D}", rendered.Text, StringComparison.Ordinal);
                Assert.Contains($"https://recoup.example.com/opt-out/{id:D}", rendered.Html, StringComparison.Ordinal);
                Assert.False(string.IsNullOrWhiteSpace(rendered.Subject));
                break;
            case "sms":
                Assert.EndsWith(language == "es" ? "Responda STOP para no recibir más mensajes." : "Reply STOP to opt out.", rendered.Text, StringComparison.Ordinal);
                Assert.DoesNotContain('\n', rendered.Text);
                break;
            default:
                Assert.Contains("<html", rendered.Html, StringComparison.Ordinal);
                break;
        }
    }

    [Theory]
    [InlineData("en", "1,043.50 USD", "January 6, 2027", "Itemization date")]
    [InlineData("es", "1.043,50 USD", "6 de enero de 2027", "Fecha de detalle")]
    public void The_validation_notice_PDF_read_back_holds_the_itemization_and_the_end_of_the_validation_period(string language, string current, string end, string label)
    {
        Assert.Equal(new DateOnly(2027, 1, 6), Domain.Compliance.ValidationPeriod.EndsOn(Today));
        var (_, rendered, _) = Render("validation_notice", "letter", language);
        var (pdf, pages) = LetterPdf.Render(LetterRun.Document(new Data.Outbox.OutboxMessage { Subject = rendered.Subject, Body = rendered.Text },
            "María Núñez", new Domain.Debtors.PostalAddress("1234 Elm Street Apt 5", "Chicago", "IL", "60601", "US"), language, Settings, Today));

        using var document = PdfDocument.Open(pdf);
        // Wrapped lines run together in the extracted text: compare without spaces.
        var text = string.Concat(document.GetPages().Select(p => p.Text)).Replace(" ", "", StringComparison.Ordinal);
        Assert.Equal(pages, document.NumberOfPages);
        Assert.True(pages >= 2, "the tear-off response form starts on a page of its own");
        foreach (var expected in new[] { current, language == "es" ? "1.200,00 USD" : "1,200.00 USD", language == "es" ? "18,50 USD" : "18.50 USD",
                     language == "es" ? "25,00 USD" : "25.00 USD", language == "es" ? "200,00 USD" : "200.00 USD", end, label })
        {
            Assert.Contains(expected.Replace(" ", "", StringComparison.Ordinal), text, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, string> ShippedLetters()
    {
        var data = new TheoryData<string, string>();
        foreach (var t in StandardTemplates.All.Where(t => t.Channel == TemplateChannel.Letter))
        {
            data.Add(t.Key, t.Language);
        }

        return data;
    }

    [Theory, MemberData(nameof(ShippedLetters))]
    public void Every_shipped_letter_laid_out_as_a_PDF_reads_back_with_the_address_and_every_line_of_its_text(string key, string language)
    {
        var (_, rendered, _) = Render(key, "letter", language);
        var (pdf, pages) = LetterPdf.Render(LetterRun.Document(new Data.Outbox.OutboxMessage { Subject = rendered.Subject, Body = rendered.Text },
            "María Núñez", new Domain.Debtors.PostalAddress("1234 Elm Street Apt 5", "Chicago", "IL", "60601", "US"), language, Settings, Today));

        using var document = PdfDocument.Open(pdf);
        Assert.Equal(pages, document.NumberOfPages);

        // Wrapped lines run together in the extracted text: compare without white space. An accented letter is drawn as
        // the letter and its accent, which the extraction reads apart: compare the base letters. Every word of the
        // fixture account's letter is on the paper: nothing dropped by the layout.
        static string Squeeze(string text) => string.Concat(text.Normalize(System.Text.NormalizationForm.FormD)
            .Where(c => !char.IsWhiteSpace(c) && System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark
                && c is not ('´' or '˜' or '¨' or '`' or 'ˆ'))
            .Select(c => c == 'ı' ? 'i' : c));
        var text = Squeeze(string.Concat(document.GetPages().Select(p => p.Text)));
        Assert.Contains("MariaNunez", text, StringComparison.Ordinal);
        foreach (var block in LetterMarkup.Parse(rendered.Text))
        {
            var words = block.Kind switch
            {
                BlockKind.Heading or BlockKind.Subheading or BlockKind.Text => [block.Text],
                BlockKind.Row => block.Cells,
                _ => [],
            };
            foreach (var expected in words.Select(Squeeze).Where(w => w.Length > 0))
            {
                Assert.Contains(expected, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void A_misspelt_variable_is_refused_at_save_time_with_its_name_and_line()
    {
        var problems = MessageTemplates.Validate(new SaveTemplate("first_reminder", TemplateChannel.Email, "en", "Hello {{ debtor.name }}",
            "Dear {{ debtor.name }},\n\nYou owe {{ balance.curent }}.\n{% for i in invoices %}{{ i.number }} {{ i.totl }}{% endfor %}\n{{ nobody }}", null));

        Assert.Equal(
            [("body", 3, "balance.curent"), ("body", 4, "i.totl"), ("body", 5, "nobody")],
            problems.Select(p => (p.Part, p.Line, p.Variable)).ToList());
        Assert.Contains("Unknown variable 'balance.curent'", problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_that_does_not_parse_or_uses_an_unknown_filter_is_refused()
    {
        var broken = MessageTemplates.Validate(new SaveTemplate("x", TemplateChannel.Sms, "en", null, "Hi\n{% if debtor.name %}no end", null));
        Assert.Contains(broken, p => p.Part == "body" && p.Message.Contains("does not parse", StringComparison.Ordinal));

        var filter = MessageTemplates.Validate(new SaveTemplate("x", TemplateChannel.Sms, "en", null, "Hi {{ debtor.name | shout }}", null));
        Assert.Equal("Unknown filter 'shout'", Assert.Single(filter).Message);
    }

    [Fact]
    public void Amounts_and_dates_are_written_the_way_each_language_writes_them()
    {
        var money = new Money(123456789, Currency.USD);
        Assert.Equal("1,234,567.89 USD", TemplateFormat.Amount(money, "en"));
        Assert.Equal("1.234.567,89 USD", TemplateFormat.Amount(money, "es"));
        Assert.Equal("March 5, 2026", TemplateFormat.Date(new DateOnly(2026, 3, 5), "en"));
        Assert.Equal("5 de marzo de 2026", TemplateFormat.Date(new DateOnly(2026, 3, 5), "es"));
    }
}
