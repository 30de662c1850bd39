using CsCheck;
using Recoup.Domain.Strategies;

namespace Recoup.Domain.Tests.Strategies;

public sealed class StableSplitTests
{
    private static readonly StrategySegment Split = new("Standard", SegmentCondition.Any,
    [
        new("champion", 80, [new("letter", StepAction.Letter, DaysPastDue: 10, Template: "first_reminder")]),
        new("challenger", 20, [new("email", StepAction.Email, DaysPastDue: 10, Template: "first_reminder")]),
    ]);

    [Fact]
    public void AnAccount_AlwaysFollowsTheSameArm()
    {
        Gen.Guid.Sample(id => StableSplit.ArmFor(new AccountId(id), Split) == StableSplit.ArmFor(new AccountId(id), Split with { Arms = [.. Split.Arms] }));
    }

    [Fact]
    public void TheBucket_OfAKnownAccount_IsFixed_SoItIsTheSameOnEveryMachine()
    {
        var account = new AccountId(Guid.Parse("0b7f6a1c-2d3e-4f50-8a6b-7c8d9e0f1a2b"));

        // SHA-256 of the id's 16 big-endian bytes followed by "Standard" in UTF-8, first four bytes mod 100.
        var bytes = account.Value.ToByteArray(bigEndian: true).Concat(System.Text.Encoding.UTF8.GetBytes("Standard")).ToArray();
        var hash = System.Security.Cryptography.SHA256.HashData(bytes);
        var expected = (int)(((uint)hash[0] << 24 | (uint)hash[1] << 16 | (uint)hash[2] << 8 | hash[3]) % 100);

        Assert.Equal(expected, StableSplit.Bucket(account, "Standard"));
    }

    [Fact]
    public void TenThousandAccounts_SplitCloseToThePercentages()
    {
        var random = new Random(20261130);
        var challengers = Enumerable.Range(0, 10_000)
            .Count(_ => StableSplit.ArmFor(new AccountId(new Guid(random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 16))), Split).Name == "challenger");

        Assert.InRange(challengers, 1_850, 2_150); // 20 % ± 1.5 points, about four standard deviations
    }

    [Fact]
    public void MovingThePercentages_MovesOnlyTheAccountsAtTheBoundary()
    {
        var wider = Split with { Arms = [Split.Arms[0] with { Percent = 70 }, Split.Arms[1] with { Percent = 30 }] };

        Gen.Guid.Sample(id =>
        {
            var account = new AccountId(id);
            return StableSplit.ArmFor(account, Split).Name != "challenger" || StableSplit.ArmFor(account, wider).Name == "challenger";
        });
    }
}
