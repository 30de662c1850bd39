using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Recoup.Domain.Strategies;

/// <summary>
/// Splits a segment's accounts between its arms at random but stably: an account's bucket (0–99) is
/// taken from the SHA-256 of its id and the segment's name, so it is the same on every run and every
/// machine, independent between segments, and even across accounts. Arms own consecutive ranges of
/// buckets in their order (80/20: buckets 0–79 the first arm, 80–99 the second), so changing the
/// percentages moves only the accounts at the boundary.
/// </summary>
public static class StableSplit
{
    public static int Bucket(AccountId account, string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetMaxByteCount(segment.Length)];
        account.Value.TryWriteBytes(input, bigEndian: true, out _);
        var length = 16 + Encoding.UTF8.GetBytes(segment, input[16..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input[..length], hash);
        return (int)(BinaryPrimitives.ReadUInt32BigEndian(hash) % 100);
    }

    /// <summary>The arm that takes the account; the last arm when the percentages add up to less than 100.</summary>
    public static StrategyArm ArmFor(AccountId account, StrategySegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (segment.Arms.Count == 1)
        {
            return segment.Arms[0];
        }

        var bucket = Bucket(account, segment.Name);
        var upTo = 0;
        foreach (var arm in segment.Arms)
        {
            upTo += arm.Percent;
            if (bucket < upTo)
            {
                return arm;
            }
        }

        return segment.Arms[^1];
    }
}
