using System.Collections.Concurrent;
using System.Text.Json;
using Recoup.Data.Outbox;
using Recoup.Services.Messaging.Dispatch;

namespace Recoup.Services.Messaging.Sms;

/// <summary>A text to send: the outbox id (the provider's idempotency key), the number in E.164 and the text.</summary>
public sealed record SmsMessage(Guid Id, string To, string Text);

/// <summary>Refused by the SMS provider; <see cref="Permanent"/> when sending again cannot help (a number it will never reach).</summary>
public sealed class SmsSendException(string message, bool permanent = false) : Exception(message)
{
    public bool Permanent { get; } = permanent;
}

/// <summary>
/// The port to an SMS provider. An implementation passes <see cref="SmsMessage.Id"/> to the provider as
/// its idempotency key where the provider has one, so a text handed over twice after a crash is sent once.
/// </summary>
public interface ISmsSender
{
    /// <summary>A short name for logs and the delivery log, e.g. <c>file</c>.</summary>
    string Name { get; }

    /// <summary>Hands the text to the provider; throws <see cref="SmsSendException"/> when it refuses.</summary>
    Task SendAsync(SmsMessage message, CancellationToken ct);
}

/// <summary>The outbox's SMS channel: the message's text through the configured <see cref="ISmsSender"/>.</summary>
public sealed class SmsChannel(ISmsSender sender) : IOutboxChannel
{
    public OutboxChannel Channel => OutboxChannel.Sms;

    public async Task<DeliveryResult> DeliverAsync(OutboxMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            await sender.SendAsync(new SmsMessage(message.Id, message.Recipient, message.Body), ct);
            return DeliveryResult.Ok();
        }
        catch (SmsSendException e)
        {
            return e.Permanent ? DeliveryResult.GiveUp($"{sender.Name}: {e.Message}") : DeliveryResult.Retry($"{sender.Name}: {e.Message}");
        }
    }
}

/// <summary>
/// For development: every text is appended as one JSON line (<c>id</c>, <c>to</c>, <c>text</c>, <c>at</c>) to
/// <c>sms.jsonl</c> in a folder, or written to the console, instead of leaving the machine.
/// </summary>
public sealed class FileSmsSender(string? folder, TextWriter? console, TimeProvider clock) : ISmsSender
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public string Name => folder is null ? "console" : "file";

    /// <summary>The file the texts are appended to, or null when they go to the console.</summary>
    public string? File => folder is null ? null : Path.Combine(folder, "sms.jsonl");

    public async Task SendAsync(SmsMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var line = JsonSerializer.Serialize(new { id = message.Id, to = message.To, text = message.Text, at = clock.GetUtcNow() });
        await Gate.WaitAsync(ct);
        try
        {
            if (File is { } file)
            {
                Directory.CreateDirectory(folder!);
                await System.IO.File.AppendAllTextAsync(file, line + "\n", ct);
            }
            else
            {
                await (console ?? Console.Out).WriteLineAsync($"SMS {line}");
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}

/// <summary>
/// For tests and demonstrations: keeps every text it is given, in order, and fails when told to (the
/// next few sends, or a number it will never reach) — it never pretends to have sent what it refused.
/// </summary>
public sealed class TestSmsSender : ISmsSender
{
    private readonly ConcurrentQueue<SmsMessage> _sent = new();
    private int _failNext;

    public string Name => "test";

    /// <summary>Every text accepted, in order (a text handed over twice appears twice, with the same id).</summary>
    public IReadOnlyList<SmsMessage> Sent => [.. _sent];

    /// <summary>Numbers the provider refuses for good (as a landline or a deactivated number is).</summary>
    public ISet<string> Unreachable { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Makes the next <paramref name="count"/> sends fail as an outage would.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failNext, count);

    public Task SendAsync(SmsMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Interlocked.Decrement(ref _failNext) >= 0)
        {
            throw new SmsSendException("the test provider is unavailable (as told)");
        }

        Interlocked.Increment(ref _failNext); // back to zero: it never goes below
        if (Unreachable.Contains(message.To))
        {
            throw new SmsSendException($"{message.To} cannot receive texts", permanent: true);
        }

        _sent.Enqueue(message);
        return Task.CompletedTask;
    }
}
