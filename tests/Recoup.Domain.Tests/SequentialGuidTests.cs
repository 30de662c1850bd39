namespace Recoup.Domain.Tests;

public sealed class SequentialGuidTests
{
    [Fact]
    public void Ids_MadeInTheSameMillisecond_IncreaseStrictly_AndAreVersion7()
    {
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 10_000).Select(_ => SequentialGuid.Create(now)).ToList();

        Assert.All(ids, id => Assert.Equal(7, id.Version));
        Assert.All(ids, id => Assert.Equal(0b10, id.Variant >> 2));
        var bytes = ids.Select(id => Convert.ToHexString(id.ToByteArray(bigEndian: true))).ToList();
        Assert.Equal(bytes.Order(StringComparer.Ordinal), bytes);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Ids_CarryTheirCreationTime_InTheFirstSixBytes()
    {
        var now = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var id = SequentialGuid.Create(now).ToByteArray(bigEndian: true);

        var milliseconds = 0L;
        for (var i = 0; i < 6; i++)
        {
            milliseconds = (milliseconds << 8) | id[i];
        }

        Assert.True(milliseconds >= now.ToUnixTimeMilliseconds());
    }
}
