using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Recoup.Data.Outbox;
using Microsoft.EntityFrameworkCore;
using Recoup.Services.Messaging.Dispatch;
using Recoup.Services.Storage;

namespace Recoup.Services.Messaging.Email;

/// <summary>
/// E-mail through an SMTP server with MailKit: the plain text and, when there is one, the HTML
/// alternative. The Message-ID is derived from the outbox id (<c>&lt;{id}@{sender's domain}&gt;</c>), so an
/// e-mail sent again after a crash carries the same Message-ID and a mail system can recognise it.
/// The message's files (<see cref="OutboxAttachment"/>, e.g. a report pack's PDF and XLSX) are attached, read from
/// <paramref name="database"/>.
/// </summary>
public sealed class SmtpEmailChannel(SmtpSettings settings, MessagingSettings messaging, RecoupDatabase? database = null) : IOutboxChannel
{
    public OutboxChannel Channel => OutboxChannel.Email;

    /// <summary>The Message-ID (without angle brackets) of the e-mail for outbox message <paramref name="id"/>.</summary>
    public static string MessageIdFor(Guid id, string domain) => $"{id:N}@{domain}";

    /// <summary>The e-mail as it goes out.</summary>
    public MimeMessage Compose(OutboxMessage message, string? optOutUrl, IReadOnlyList<OutboxAttachment>? attachments = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var mail = new MimeMessage { MessageId = MessageIdFor(message.Id, settings.Domain), Subject = message.Subject ?? "" };
        mail.From.Add(new MailboxAddress(settings.FromName, settings.From));
        mail.To.Add(MailboxAddress.Parse(message.Recipient));
        mail.Headers.Add("X-Recoup-Outbox-Id", message.Id.ToString("D"));
        if (optOutUrl is not null)
        {
            // RFC 2369: mail programs show an unsubscribe button that opens the opt-out page.
            mail.Headers.Add(HeaderId.ListUnsubscribe, $"<{optOutUrl}>");
        }

        if (message.Language is { Length: > 0 } language)
        {
            mail.Headers.Add("Content-Language", language);
        }

        var body = new BodyBuilder { TextBody = message.Body, HtmlBody = message.HtmlBody };
        foreach (var file in attachments ?? [])
        {
            body.Attachments.Add(file.FileName, file.Content, ContentType.Parse(file.ContentType));
        }

        mail.Body = body.ToMessageBody();
        return mail;
    }

    public async Task<DeliveryResult> DeliverAsync(OutboxMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!MailboxAddress.TryParse(message.Recipient, out _))
        {
            return DeliveryResult.GiveUp($"'{message.Recipient}' is not an e-mail address");
        }

        var attachments = await AttachmentsAsync(message.Id, ct);
        var mail = Compose(message, message.ContactPointId is null ? null : messaging.OptOutUrl(message.Id), attachments);
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.Host!, settings.Port, Options(settings.Tls), ct);
            if (settings.User is { } user)
            {
                await client.AuthenticateAsync(user, settings.Password ?? "", ct);
            }

            await client.SendAsync(mail, ct);
            await client.DisconnectAsync(quit: true, ct);
            return DeliveryResult.Ok(250);
        }
        catch (SmtpCommandException e)
        {
            var code = (int)e.StatusCode;
            var text = $"The SMTP server refused it: {code} {e.Message}";
            return code >= 500 && e.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted
                ? DeliveryResult.GiveUp(text, code)
                : DeliveryResult.Retry(text, code);
        }
        catch (Exception e) when (e is SmtpProtocolException or ServiceNotConnectedException or ServiceNotAuthenticatedException or AuthenticationException
            or SslHandshakeException or IOException or SocketException or TimeoutException)
        {
            return DeliveryResult.Retry($"The SMTP server {settings.Host}:{settings.Port} could not be used: {e.Message}");
        }
    }

    private async Task<IReadOnlyList<OutboxAttachment>> AttachmentsAsync(Guid id, CancellationToken ct)
    {
        if (database is null)
        {
            return [];
        }

        await using var db = database.CreateContext();
        return await db.OutboxAttachments.AsNoTracking().Where(a => a.OutboxId == id).OrderBy(a => a.Position).ToListAsync(ct);
    }

    private static SecureSocketOptions Options(SmtpTls tls) => tls switch
    {
        SmtpTls.None => SecureSocketOptions.None,
        SmtpTls.StartTls => SecureSocketOptions.StartTls,
        SmtpTls.Tls => SecureSocketOptions.SslOnConnect,
        SmtpTls.Auto => SecureSocketOptions.StartTlsWhenAvailable,
    };
}
