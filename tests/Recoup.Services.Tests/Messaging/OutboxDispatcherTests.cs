using System.Text;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Recoup.Data.Outbox;
using Recoup.Domain.Conversations;
using Recoup.Domain.Debtors;
using Recoup.Services.Contacts;
using Recoup.Services.Messaging.OptOut;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Messaging;

/// <summary>
/// The outbox dispatcher delivering e-mail to a real SMTP server on loopback and texts to the test
/// provider: what arrives, what the gate stops at the moment of sending, retries, and a dispatcher
/// killed between sending and recording — on both providers.
/// </summary>
public sealed class OutboxDispatcherTests
{
    private static MimeMessage Parse(string raw) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw)));

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_email_arrives_at_the_smtp_server_with_text_html_its_outbox_id_as_message_id_and_the_opt_out_link(DatabaseProvider provider)
    {
        await using var s = await MessagingScenario.CreateAsync(provider);
        var queued = await s.QueueAsync("D1", OutboxChannel.Email, html: "<html><body><p>Your balance of <b>300.00 USD</b> is past due.</p></body></html>");

        var run = await s.Dispatcher().DrainAsync();

        Assert.Equal(1, run.Sent);
        var mail = Parse(Assert.Single(s.Smtp.Received));
        Assert.Equal($"{queued.Id:N}@example.org", mail.MessageId);
        Assert.Equal("dana@example.com", mail.To.Mailboxes.Single().Address);
        Assert.Equal("collections@example.org", mail.From.Mailboxes.Single().Address);
        Assert.Equal("Your account is past due", mail.Subject);
        var optOut = $"https://pay.example.org/opt-out/{queued.Id:D}";
        Assert.Contains("is past due.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(optOut, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("<b>300.00 USD</b>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(optOut, mail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal($"<{optOut}>", mail.Headers[HeaderId.ListUnsubscribe]);

        var sent = await s.ReloadAsync(queued.Id);
        Assert.Equal(OutboxStatus.Sent, sent.Status);
        Assert.Equal(MessagingScenario.Start, sent.SentAt);
        Assert.Equal(1, sent.Attempts);
        Assert.Equal(["sent"], (await s.AttemptsAsync(queued.Id)).Select(a => a.Outcome));

        // On the conversation log (which the gate counts) and on the account's timeline.
        await using var db = s.Database.CreateContext();
        var logged = Assert.Single(await db.Interactions.AsNoTracking().ToListAsync());
        Assert.Equal(InteractionChannel.EmailSent, logged.Channel);
        Assert.Contains(queued.Id.ToString("D"), logged.Notes, StringComparison.Ordinal);
        var timeline = await db.AuditLog.AsNoTracking().Where(a => a.EntityId == new Domain.AccountId(queued.AccountId!.Value).ToString()).Select(a => a.Action).ToListAsync();
        Assert.Contains("compliance.allowed", timeline);
        Assert.Contains("message.sent", timeline);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_dispatcher_killed_between_sending_and_recording_sends_again_after_the_lease_with_the_same_message_id_and_records_once(DatabaseProvider provider)
    {
        await using var s = await MessagingScenario.CreateAsync(provider);
        var queued = await s.QueueAsync("D1", OutboxChannel.Email);

        var killed = s.Dispatcher("node-a", _ => throw new InvalidOperationException("killed"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => killed.DrainAsync());
        Assert.Single(s.Smtp.Received);
        var claimed = await s.ReloadAsync(queued.Id);
        Assert.Equal(OutboxStatus.Sending, claimed.Status);
        Assert.Equal("node-a", claimed.ClaimedBy);

        // The restarted dispatcher leaves a claim younger than the lease alone...
        var restarted = s.Dispatcher("node-b");
        Assert.Equal(0, (await restarted.DrainAsync()).Claimed);
        Assert.Single(s.Smtp.Received);

        // ...and takes it over once the lease has run out: the message arrives again, with the same Message-ID.
        s.Advance(s.Settings.Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await restarted.DrainAsync()).Sent);
        Assert.Equal(2, s.Smtp.Received.Count);
        Assert.All(s.Smtp.Received, raw => Assert.Equal($"{queued.Id:N}@example.org", Parse(raw).MessageId));

        var sent = await s.ReloadAsync(queued.Id);
        Assert.Equal(OutboxStatus.Sent, sent.Status);
        Assert.Null(sent.ClaimedBy);

        // Nothing more goes out, and the delivery is recorded once.
        s.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await s.Dispatcher("node-c").DrainAsync()).Claimed);
        Assert.Equal(2, s.Smtp.Received.Count);
        await using var db = s.Database.CreateContext();
        Assert.Single(await db.Interactions.AsNoTracking().ToListAsync());
        Assert.Equal(["sent"], (await s.AttemptsAsync(queued.Id)).Select(a => a.Outcome));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_dispute_of_the_whole_balance_blocks_a_reminder_at_sending_but_its_acknowledgement_goes_out(DatabaseProvider provider)
    {
        await using var s = await MessagingScenario.CreateAsync(provider);
        var reminder = await s.QueueAsync("D1", OutboxChannel.Email);
        Domain.AccountId account;
        await using (var db = s.Database.CreateContext())
        {
            account = (await db.Accounts.SingleAsync(a => a.Debtor!.ExternalId == "D1")).Id;
        }

        var opened = await new global::Recoup.Services.Disputes.Disputes(s.Database, s.Clock, new global::Recoup.Services.Disputes.DisputeSettings())
            .OpenAsync(new global::Recoup.Services.Disputes.OpenDispute(account, Domain.Disputes.DisputeReason.NotMine, Domain.Disputes.DisputeSource.Collector, "Not my account"), "sam");
        Assert.True(opened.IsSuccess, opened.Error?.Message);

        var run = await s.Dispatcher().DrainAsync();

        // The reminder is held by the dispute; the answer to the dispute itself is what the debtor receives.
        Assert.Equal((1, 1), (run.Sent, run.Blocked));
        var blocked = await s.ReloadAsync(reminder.Id);
        Assert.Equal(OutboxStatus.Blocked, blocked.Status);
        Assert.Contains("dispute-hold", blocked.LastError, StringComparison.Ordinal);
        var arrived = Parse(Assert.Single(s.Smtp.Received));
        Assert.Contains("We received your dispute", arrived.Subject, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_gate_is_asked_again_at_sending_a_cease_request_made_after_queueing_blocks_the_email(DatabaseProvider provider)
    {
        await using var s = await MessagingScenario.CreateAsync(provider);
        var queued = await s.QueueAsync("D1", OutboxChannel.Email);
        await using (var db = s.Database.CreateContext())
        {
            var debtor = await db.Debtors.SingleAsync(d => d.ExternalId == "D1");
            debtor.CeaseCommunication(s.Clock.GetUtcNow());
            await db.SaveChangesAsync();
        }

        var run = await s.Dispatcher().DrainAsync();

        Assert.Equal(1, run.Blocked);
        Assert.Empty(s.Smtp.Received);
        var blocked = await s.ReloadAsync(queued.Id);
        Assert.Equal(OutboxStatus.Blocked, blocked.Status);
        Assert.Contains("cease-communication", blocked.LastError, StringComparison.Ordinal);
        Assert.Equal(0, blocked.Attempts);
        Assert.Equal(["blocked"], (await s.AttemptsAsync(queued.Id)).Select(a => a.Outcome));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_email_due_at_night_in_the_debtors_zone_waits_for_the_gates_next_allowed_time(DatabaseProvider provider)
    {
        await using var s = await MessagingScenario.CreateAsync(provider);
        s.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 24, 5, 0, 0, TimeSpan.Zero)); // 23:00 in Chicago
        var queued = await s.QueueAsync("D1", OutboxChannel.Email);

        Assert.Equal(1, (await s.Dispatcher().DrainAsync()).Rescheduled);
        var waiting = await s.ReloadAsync(queued.Id);
        Assert.Equal(OutboxStatus.Pending, waiting.Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 14, 0, 0, TimeSpan.Zero), waiting.NotBefore); // 8:00 in Chicago
        Assert.Contains("inconvenient-time", waiting.LastError, StringComparison.Ordinal);
        Assert.Empty(s.Smtp.Received);

        s.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 24, 14, 0, 0, TimeSpan.Zero));
        Assert.Equal(1, (await s.Dispatcher().DrainAsync()).Sent);
        Assert.Single(s.Smtp.Received);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Email_to_a_business_goes_out_only_within_business_hours_in_its_time_zone(DatabaseProvider provider)
    {
        await using var s = await MessagingScenario.CreateAsync(provider);
        var queued = await s.QueueAsync("B1", OutboxChannel.Email); // Monday 7:00 in Seattle

        Assert.Equal(1, (await s.Dispatcher().DrainAsync()).Rescheduled);
        var waiting = await s.ReloadAsync(queued.Id);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 17, 0, 0, TimeSpan.Zero), waiting.NotBefore); // 9:00 in Seattle
        Assert.Contains("business hours", waiting.LastError, StringComparison.Ordinal);

        s.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 17, 0, 0, TimeSpan.Zero));
        Assert.Equal(1, (await s.Dispatcher().DrainAsync()).Sent);
        Assert.Equal("ap@harbor.example", Parse(Assert.Single(s.Smtp.Received)).To.Mailboxes.Single().Address);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_busy_smtp_server_is_retried_with_exponential_back_off_and_the_tries_are_logged(DatabaseProvider provider)
    {
        await using var s = await MessagingScenario.CreateAsync(provider);
        s.Smtp.RefuseNext(2);
        var queued = await s.QueueAsync("D1", OutboxChannel.Email);

        Assert.Equal(1, (await s.Dispatcher().DrainAsync()).Retried);
        Assert.Equal(MessagingScenario.Start.AddMinutes(1), (await s.ReloadAsync(queued.Id)).NotBefore);
        s.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, (await s.Dispatcher().DrainAsync()).Claimed);
        s.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await s.Dispatcher().DrainAsync()).Retried);
        Assert.Equal(MessagingScenario.Start.AddMinutes(3), (await s.ReloadAsync(queued.Id)).NotBefore);
        s.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await s.Dispatcher().DrainAsync()).Sent);

        Assert.Single(s.Smtp.Received);
        var tries = await s.AttemptsAsync(queued.Id);
        Assert.Equal(["failed 451", "failed 451", "sent 250"], tries.Select(t => $"{t.Outcome} {t.StatusCode}"));
        Assert.Equal([1, 2, 3], tries.Select(t => t.Number));
        Assert.Equal(3, (await s.ReloadAsync(queued.Id)).Attempts);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task After_the_maximum_of_tries_a_message_is_failed_and_letters_and_ach_files_are_never_touched(DatabaseProvider provider)
    {
        await using var s = await MessagingScenario.CreateAsync(provider);
        s.Settings = s.Settings with { MaxAttempts = 2 };
        s.Smtp.RefuseNext(10);
        var email = await s.QueueAsync("D1", OutboxChannel.Email);
        var letter = await s.QueueAsync("D1", OutboxChannel.Email);
        await using (var db = s.Database.CreateContext())
        {
            var row = await db.Outbox.SingleAsync(m => m.Id == letter.Id);
            row.Channel = OutboxChannel.Letter;
            await db.SaveChangesAsync();
        }

        await s.Dispatcher().DrainAsync();
        s.Advance(TimeSpan.FromMinutes(1));
        await s.Dispatcher().DrainAsync();

        var failed = await s.ReloadAsync(email.Id);
        Assert.Equal(OutboxStatus.Failed, failed.Status);
        Assert.Contains("451", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(["failed", "gave_up"], (await s.AttemptsAsync(email.Id)).Select(a => a.Outcome));
        var untouched = await s.ReloadAsync(letter.Id);
        Assert.Equal(OutboxStatus.Pending, untouched.Status);
        Assert.Equal(0, untouched.Attempts);
        Assert.Empty(await s.AttemptsAsync(letter.Id));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_opt_out_link_of_an_email_stops_further_email_to_that_address(DatabaseProvider provider)
    {
        await using var s = await MessagingScenario.CreateAsync(provider);
        var first = await s.QueueAsync("D1", OutboxChannel.Email);
        await s.Dispatcher().DrainAsync();
        var optOuts = new OptOuts(s.Database, new ContactPoints(s.Database, s.Clock));

        var page = await optOuts.FindAsync(first.Id);
        Assert.Equal("d•••@example.com", page.Value.Address);
        Assert.False(page.Value.AlreadyOptedOut);
        var done = await optOuts.OptOutAsync(first.Id, "debtor:opt-out-link");
        Assert.True(done.IsSuccess, done.Error?.Message);
        Assert.True((await optOuts.OptOutAsync(first.Id, "debtor:opt-out-link")).Value.AlreadyOptedOut);
        Assert.NotNull((await s.PointAsync("D1", ContactKind.Email)).OptedOutAt);

        var second = await s.QueueAsync("D1", OutboxChannel.Email);
        Assert.Equal(1, (await s.Dispatcher().DrainAsync()).Blocked);
        Assert.Single(s.Smtp.Received);
        Assert.Contains("opted-out", (await s.ReloadAsync(second.Id)).LastError, StringComparison.Ordinal);
        Assert.False((await optOuts.FindAsync(Guid.NewGuid())).IsSuccess);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_text_goes_out_with_reply_stop_and_a_stop_reply_opts_the_number_out(DatabaseProvider provider)
    {
        await using var s = await MessagingScenario.CreateAsync(provider);
        var english = await s.QueueAsync("D1", OutboxChannel.Sms, body: "Your payment of 100.00 USD is due Dec 1.");
        var spanish = await s.QueueAsync("D1", OutboxChannel.Sms, body: "Su pago de 100.00 USD vence el 1 de diciembre.", language: "es");
        Assert.Equal(2, (await s.Dispatcher().DrainAsync()).Sent);
        Assert.Equal(
            [
                (english.Id, "+13125550199", "Your payment of 100.00 USD is due Dec 1. Reply STOP to opt out."),
                (spanish.Id, "+13125550199", "Su pago de 100.00 USD vence el 1 de diciembre. Responda PARAR para no recibir más mensajes."),
            ],
            s.Sms.Sent.Select(m => (m.Id, m.To, m.Text)));

        var optOuts = new OptOuts(s.Database, new ContactPoints(s.Database, s.Clock));
        var chat = await optOuts.ReceiveSmsAsync("+1 (312) 555-0199", "When is my next payment?");
        Assert.False(chat.Value.IsOptOut);
        var stop = await optOuts.ReceiveSmsAsync("+1 (312) 555-0199", " parar ");
        Assert.True(stop.Value.IsOptOut);
        Assert.Equal(1, stop.Value.OptedOut);
        var phone = await s.PointAsync("D1", ContactKind.Phone);
        Assert.NotNull(phone.OptedOutAt);
        Assert.NotNull(phone.TextConsent!.RevokedAt);

        var after = await s.QueueAsync("D1", OutboxChannel.Sms, body: "Reminder.");
        Assert.Equal(1, (await s.Dispatcher().DrainAsync()).Blocked);
        Assert.Equal(2, s.Sms.Sent.Count);
        Assert.Equal(OutboxStatus.Blocked, (await s.ReloadAsync(after.Id)).Status);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_number_the_sms_provider_refuses_for_good_fails_at_once_an_outage_is_retried(DatabaseProvider provider)
    {
        await using var s = await MessagingScenario.CreateAsync(provider);
        s.Sms.FailNext(1);
        var text = await s.QueueAsync("D1", OutboxChannel.Sms);
        Assert.Equal(1, (await s.Dispatcher().DrainAsync()).Retried);
        s.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await s.Dispatcher().DrainAsync()).Sent);
        Assert.Equal(text.Id, Assert.Single(s.Sms.Sent).Id);

        s.Sms.Unreachable.Add("+13125550199");
        var refused = await s.QueueAsync("D1", OutboxChannel.Sms);
        Assert.Equal(1, (await s.Dispatcher().DrainAsync()).Failed);
        Assert.Contains("cannot receive texts", (await s.ReloadAsync(refused.Id)).LastError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("STOP", true)]
    [InlineData("stop.", true)]
    [InlineData("StopAll", true)]
    [InlineData("UNSUBSCRIBE", true)]
    [InlineData("cancel", true)]
    [InlineData("End", true)]
    [InlineData("QUIT", true)]
    [InlineData("Parar", true)]
    [InlineData("ALTO por favor", true)]
    [InlineData("Please stop", false)]
    [InlineData("STOPPING by later", false)]
    [InlineData("", false)]
    public void Stop_words_are_recognised_as_the_first_word_of_a_reply(string reply, bool stop) =>
        Assert.Equal(stop, OptOutNotice.IsStop(reply));
}
