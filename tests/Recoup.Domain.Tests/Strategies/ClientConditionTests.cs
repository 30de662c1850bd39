using CsCheck;
using Recoup.Domain.Debtors;
using Recoup.Domain.Strategies;

namespace Recoup.Domain.Tests.Strategies;

/// <summary>The segment condition on creditor clients: some client codes, and/or "no client".</summary>
public sealed class ClientConditionTests
{
    private static readonly DateOnly AsOf = new(2026, 10, 1);
    private static readonly string[] Codes = ["ACME", "GLOBEX", "INITECH", "UMBRELLA"];

    private static AccountStrategyFacts Facts(string? client) =>
        new(new AccountId(Guid.NewGuid()), new DebtorId(Guid.NewGuid()), DebtType.Consumer, Currency.USD, 10_000,
            [new OpenInvoice(new InvoiceId(Guid.NewGuid()), "I-1", AsOf.AddDays(-30), 10_000)], "e1", Client: client);

    private static StrategyDefinition TwoSegments(SegmentCondition clients) => new("By client", DunningLevel.Account,
    [
        new("Chosen clients", clients, [new("champion", 100, [new("letter", StepAction.Letter, DaysPastDue: 10, Template: "first_reminder")])]),
        new("Everyone else", SegmentCondition.Any, [new("champion", 100, [new("call", StepAction.CallTask, DaysPastDue: 10)])]),
    ]);

    [Fact]
    public void TheConditionSelectsExactlyTheAccountsOfTheListedClients_AndThoseWithoutOneWhenNoClientIsAsked()
    {
        var client = Gen.Int[0, Codes.Length].Select(i => i == Codes.Length ? null : Codes[i]);
        var listed = Gen.Int[0, Codes.Length - 1].Array[0, 4].Select(ix => ix.Distinct().Select(i => Codes[i]).ToList());
        var lettercase = Gen.Bool;

        Gen.Select(client.Array[1, 40], listed, Gen.Bool, lettercase).Sample((accounts, chosen, noClient, lower) =>
        {
            var condition = new SegmentCondition(Clients: chosen.Select(c => lower ? c.ToLowerInvariant() : c).ToList(), NoClient: noClient);
            var strategy = TwoSegments(condition);
            foreach (var code in accounts)
            {
                var facts = Facts(code);
                var expected = !condition.HasClientCondition || (code is null ? noClient : chosen.Contains(code));
                if (StrategyEvaluator.Matches(condition, facts, AsOf) != expected)
                {
                    return false;
                }

                var segment = StrategyEvaluator.SegmentFor(strategy, facts, AsOf)!.Name;
                if ((segment == "Chosen clients") != expected)
                {
                    return false;
                }
            }

            return true;
        });
    }

    [Fact]
    public void NoClientAlone_TakesOnlyAccountsWithoutAClient_AndAnEmptyConditionTakesEveryAccount()
    {
        var noClient = new SegmentCondition(NoClient: true);

        Assert.True(StrategyEvaluator.Matches(noClient, Facts(null), AsOf));
        Assert.False(StrategyEvaluator.Matches(noClient, Facts("ACME"), AsOf));
        Assert.True(StrategyEvaluator.Matches(new SegmentCondition(NoClient: false), Facts("ACME"), AsOf));
        Assert.True(StrategyEvaluator.Matches(new SegmentCondition(Clients: []), Facts(null), AsOf));
        Assert.False(StrategyEvaluator.Matches(new SegmentCondition(Clients: ["ACME"]), Facts(null), AsOf));
    }

    [Fact]
    public void BadOrRepeatedClientCodes_AreErrorsNamingTheField()
    {
        var strategy = TwoSegments(new SegmentCondition(Clients: ["ACME", "acme", "a b"]));

        var errors = StrategyRules.Check(strategy);

        Assert.Equal(["segments[0].when.clients", "segments[0].when.clients"], errors.Select(e => e.Field));
        Assert.Contains(errors, e => e.Message.Contains("'A B' is not a client code", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message == "The client 'ACME' is listed twice");
    }
}
