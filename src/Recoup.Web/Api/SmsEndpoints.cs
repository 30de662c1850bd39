using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Recoup.Services.Messaging.OptOut;
using Recoup.Web.Messaging;

namespace Recoup.Web.Api;

/// <summary>A text a debtor sent, as a provider reports it (JSON; a form post with <c>From</c> and <c>Body</c> is read too).</summary>
public sealed record InboundSmsBody(string? From, string? Text);

/// <summary>What the reply did.</summary>
public sealed record InboundSmsJson(string From, bool OptOut, int ContactPointsOptedOut);

/// <summary>
/// <c>POST /api/sms/inbound</c>: where an SMS provider forwards the replies debtors send. A reply whose
/// first word is STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, PARAR or ALTO opts the number out. The
/// provider proves itself with the shared secret <c>Recoup:Sms:InboundSecret</c>, sent as the header
/// <c>X-Recoup-Sms-Secret</c> or the query parameter <c>secret</c>; without a configured secret the endpoint is closed.
/// </summary>
public static class SmsEndpoints
{
    public const string SecretHeader = "X-Recoup-Sms-Secret";

    public static void MapSms(this IEndpointRouteBuilder api)
    {
        api.MapPost("/sms/inbound", ReceiveAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithTags("Messaging")
            .WithName("InboundSms")
            .WithSummary("A text reply from a debtor, forwarded by the SMS provider")
            .WithDescription("JSON `{\"from\":\"+13125550147\",\"text\":\"STOP\"}` or a form post with `From` and `Body` (as Twilio sends). " +
                "Authenticated by the shared secret `Recoup:Sms:InboundSecret` in the `X-Recoup-Sms-Secret` header or the `secret` query parameter. " +
                "A STOP-style reply opts out every contact point with that number (and revokes its consent to texts); see docs/messaging.md.")
            .Accepts<InboundSmsBody>("application/json", "application/x-www-form-urlencoded")
            .Produces<InboundSmsJson>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ReceiveAsync(
        HttpContext http, SmsSettings settings, OptOuts optOuts, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (settings.InboundSecret is not { } secret)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "Inbound texts are not configured",
                "Set Recoup:Sms:InboundSecret and give it to the SMS provider to receive replies here.", "sms_inbound_not_configured");
        }

        var given = http.Request.Headers[SecretHeader].FirstOrDefault() ?? http.Request.Query["secret"].FirstOrDefault() ?? "";
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(secret)))
        {
            return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "Wrong or missing secret",
                $"Send the shared secret (Recoup:Sms:InboundSecret) as the {SecretHeader} header.", "sms_secret_invalid");
        }

        string? from;
        string? text;
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(ct);
            from = form["From"].FirstOrDefault() ?? form["from"].FirstOrDefault();
            text = form["Body"].FirstOrDefault() ?? form["text"].FirstOrDefault();
        }
        else
        {
            try
            {
                var body = await JsonSerializer.DeserializeAsync<InboundSmsBody>(http.Request.Body, json.Value.SerializerOptions, ct);
                (from, text) = (body?.From, body?.Text);
            }
            catch (JsonException e)
            {
                return ApiProblems.Invalid("body", $"Send {{\"from\":\"+13125550147\",\"text\":\"STOP\"}}: {e.Message}");
            }
        }

        var received = await optOuts.ReceiveSmsAsync(from, text, ct);
        return received.Error is { } error
            ? ApiProblems.From(error)
            : Results.Ok(new InboundSmsJson(received.Value.Number!, received.Value.IsOptOut, received.Value.OptedOut));
    }
}
