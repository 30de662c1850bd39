using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Recoup.Browser.Tests;

/// <summary>A manager edits a template: a misspelt name is refused at its line, the preview shows the sample account, saving adds a version.</summary>
[Collection(SiteCollection.Name)]
public sealed class TemplateScreenTests(RecoupSite site)
{
    [Fact]
    public async Task A_manager_sees_a_misspelt_name_at_its_line_previews_the_fix_and_saves_a_new_version()
    {
        var page = await site.SignedInAsync("manager");
        await page.GotoAsync("/templates?key=broken_promise&channel=sms&language=es");
        await Expect(page.GetByTestId("template-list")).ToContainTextAsync("validation_notice");
        var body = page.GetByTestId("template-body");
        await body.FillAsync("Hola {{ debtor.name }}:\nno recibimos {{ promise.amout }}.");
        await page.GetByTestId("save").ClickAsync();

        await Expect(page.GetByTestId("template-error")).ToHaveTextAsync("body, line 2: Unknown variable 'promise.amout': the template model has no such name (see docs/templates.md)");
        await Expect(page.GetByTestId("error-lines")).ToContainTextAsync("line 2");
        await RecoupSite.ScreenshotAsync(page, "40-template-error");

        await page.GetByTestId("template-body").FillAsync("Hola {{ debtor.name }}:\nno recibimos {{ promise.amount }}.");
        await Expect(page.GetByTestId("live-text")).ToHaveTextAsync("Hola María Núñez: no recibimos 250,00 USD. Responda STOP para no recibir más mensajes.");
        await page.GetByTestId("preview").ClickAsync();
        await Expect(page.GetByTestId("preview-text")).ToHaveTextAsync("Hola María Núñez: no recibimos 250,00 USD. Responda STOP para no recibir más mensajes.");

        await page.GetByTestId("save").ClickAsync();
        await Expect(page.GetByTestId("flash")).ToContainTextAsync("Saved as version 2");
        await Expect(page.GetByTestId("history").Locator("tbody tr")).ToHaveCountAsync(2);
        await RecoupSite.ScreenshotAsync(page, "41-template-saved");
    }

    [Fact]
    public async Task The_Spanish_validation_notice_previews_as_a_letter_and_a_collector_has_no_templates_page()
    {
        var page = await site.SignedInAsync("admin");
        await page.GotoAsync("/templates?key=validation_notice&channel=letter&language=es");
        await page.GetByTestId("preview").ClickAsync();
        var letter = page.FrameLocator("[data-testid=preview-pane] iframe");
        await Expect(letter.Locator("body")).ToContainTextAsync("es un cobrador de deudas");
        await Expect(letter.Locator("body")).ToContainTextAsync("1.043,50 USD");
        await RecoupSite.ScreenshotAsync(page, "42-template-validation-notice");

        var collector = await site.SignedInAsync("collector");
        await Expect(collector.GetByRole(AriaRole.Link, new() { Name = "Templates" })).ToHaveCountAsync(0);
    }
}
