namespace Recoup.Domain;

// Identifiers are version 7 GUIDs: created by the application (so a whole import or a use case can
// build its rows before touching the database), unique across web nodes, and ordered by creation
// time, which keeps database indexes append-mostly (see SequentialGuid).

public readonly record struct DebtorId(Guid Value)
{
    public static DebtorId New(DateTimeOffset now) => new(SequentialGuid.Create(now));
    public override string ToString() => Value.ToString();
}

public readonly record struct ContactPointId(Guid Value)
{
    public static ContactPointId New(DateTimeOffset now) => new(SequentialGuid.Create(now));
    public override string ToString() => Value.ToString();
}

public readonly record struct AccountId(Guid Value)
{
    public static AccountId New(DateTimeOffset now) => new(SequentialGuid.Create(now));
    public override string ToString() => Value.ToString();
}

public readonly record struct InvoiceId(Guid Value)
{
    public static InvoiceId New(DateTimeOffset now) => new(SequentialGuid.Create(now));
    public override string ToString() => Value.ToString();
}

public readonly record struct LedgerEntryId(Guid Value)
{
    public static LedgerEntryId New(DateTimeOffset now) => new(SequentialGuid.Create(now));
    public override string ToString() => Value.ToString();
}

public readonly record struct InteractionId(Guid Value)
{
    public static InteractionId New(DateTimeOffset now) => new(SequentialGuid.Create(now));
    public override string ToString() => Value.ToString();
}

public readonly record struct FollowUpId(Guid Value)
{
    public static FollowUpId New(DateTimeOffset now) => new(SequentialGuid.Create(now));
    public override string ToString() => Value.ToString();
}

public readonly record struct AssignmentRuleId(Guid Value)
{
    public static AssignmentRuleId New(DateTimeOffset now) => new(SequentialGuid.Create(now));
    public override string ToString() => Value.ToString();
}

public readonly record struct ExceptionGrantId(Guid Value)
{
    public static ExceptionGrantId New(DateTimeOffset now) => new(SequentialGuid.Create(now));
    public override string ToString() => Value.ToString();
}

/// <summary>
/// Version 7 GUIDs (RFC 9562) that increase strictly within this process, even when many are made
/// in the same millisecond: the 12 bits after the version hold a counter (RFC 9562, method 1), and
/// the rest is random. A bulk insert of ids made this way appends to the end of every index.
/// </summary>
public static class SequentialGuid
{
    private static readonly Lock Gate = new();
    private static long _lastMilliseconds;
    private static int _counter;

    public static Guid Create(DateTimeOffset now)
    {
        long milliseconds;
        int counter;
        lock (Gate)
        {
            milliseconds = Math.Max(now.ToUnixTimeMilliseconds(), _lastMilliseconds);
            if (milliseconds == _lastMilliseconds)
            {
                if (++_counter > 0xFFF)
                {
                    milliseconds++;
                    _counter = 0;
                }
            }
            else
            {
                _counter = 0;
            }

            _lastMilliseconds = milliseconds;
            counter = _counter;
        }

        // Bytes 0-5: Unix milliseconds, big-endian; 6-7: version 7 and the counter; 8-15: variant and random.
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes, unchecked(milliseconds << 16) | (0x7000L | (uint)counter));
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes[8..]);
        bytes[8] = unchecked((byte)(0x80 | (bytes[8] & 0x3F)));
        return new Guid(bytes, bigEndian: true);
    }
}

public readonly record struct ClientId(Guid Value)
{
    public static ClientId New(DateTimeOffset now) => new(SequentialGuid.Create(now));
    public override string ToString() => Value.ToString();
}
