using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Plans;
using Recoup.Data.Strategies;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Domain.Plans;
using Recoup.Domain.Strategies;
using Recoup.Services.Imports;
using Recoup.Services.Payments;
using Recoup.Services.Storage;
using Recoup.Services.Strategies;
using Recoup.Testing;

namespace Recoup.Services.Tests.Strategies;

/// <summary>
/// The champion/challenger report on a hand-built split (six accounts, three per arm), against figures
/// worked out by hand — on both providers.
/// </summary>
public sealed class ChampionChallengerReportTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 30);
    private static readonly DateOnly Assigned = new(2026, 10, 15);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    /// <summary>
    /// C1–C3 follow the champion, C4–C6 the challenger, all from 15 October except C3 (no step yet; last
    /// seen by the run on 1 November); C7 is in another segment. Every invoice is 100.00, due 1 October.
    /// </summary>
    private async Task<(RecoupDatabase Database, Dictionary<string, AccountId> Accounts)> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        string[] ids = ["C1", "C2", "C3", "C4", "C5", "C6", "C7"];
        var portfolio = new TestPortfolio()
            .Debtors([.. ids.Select(id => TestPortfolio.Person(id))])
            .Invoices([.. ids.Select(id => $"{id}-INV,{id},2026-09-01,2026-10-01,100.00,USD")]);
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        Dictionary<string, AccountId> accounts;
        await using (var db = database.CreateContext())
        {
            accounts = (await db.AccountSummaries.Select(s => new { s.DebtorExternalId, s.AccountId }).ToListAsync())
                .ToDictionary(s => s.DebtorExternalId, s => new AccountId(s.AccountId));
            void State(string debtor, string segment, string arm, DateOnly lastRun) => db.AccountStrategyStates.Add(new AccountStrategyState
            {
                AccountId = accounts[debtor], Episode = "due:2026-10-01", DebtType = DebtType.Consumer, StrategyVersion = 2, Segment = segment, Arm = arm, LastRunOn = lastRun,
            });
            void Step(string debtor, string arm, string action, DateOnly on, string outcome = "done") => db.StrategyStepsTaken.Add(new StrategyStepTaken
            {
                AccountId = accounts[debtor], TakenKey = $"{action}-{on:yyyyMMdd}-{outcome}|due:2026-10-01", RunId = Guid.NewGuid(), AsOf = on,
                StepKey = action, Action = action, Outcome = outcome, Segment = "Standard", Arm = arm,
            });
            void Promise(string debtor, DateOnly takenOn) => db.Promises.Add(new PromiseRecord
            {
                Id = Guid.NewGuid(), AccountId = accounts[debtor], Currency = Currency.USD, AmountMinor = 5000, PromisedFor = takenOn.AddDays(7), TakenOn = takenOn,
                Channel = "call", TakenBy = "ana", TakenAt = _clock.GetUtcNow(), Status = PromiseStatus.Pending,
            });

            foreach (var id in new[] { "C1", "C2", "C3" })
            {
                State(id, "Standard", "champion", new DateOnly(2026, 11, 1));
            }

            foreach (var id in new[] { "C4", "C5", "C6" })
            {
                State(id, "Standard", "challenger", new DateOnly(2026, 11, 29));
            }

            State("C7", "Small balance", "champion", new DateOnly(2026, 11, 29));

            Step("C1", "champion", "letter", Assigned);
            Step("C1", "champion", "email", Assigned);
            Step("C2", "champion", "letter", Assigned);
            Step("C2", "champion", "letter", Assigned, outcome: "superseded"); // recorded, but no letter went out
            Step("C4", "challenger", "call_task", Assigned);
            Step("C5", "challenger", "call_task", Assigned);
            Step("C6", "challenger", "sms", Assigned);
            Step("C6", "challenger", "email", new DateOnly(2026, 11, 1));

            Promise("C2", new DateOnly(2026, 11, 1));
            Promise("C4", new DateOnly(2026, 10, 20));
            Promise("C4", new DateOnly(2026, 11, 2));
            Promise("C6", new DateOnly(2026, 10, 1)); // before C6 joined the test
            await db.SaveChangesAsync();
        }

        var post = new PostPayment(database, _clock);
        async Task<PostedPayment> Pay(string debtor, decimal amount, DateOnly on)
        {
            var posted = await post.RunAsync(new PostPaymentRequest(accounts[debtor], amount, on, "cash", null, null, null), "ana");
            Assert.True(posted.IsSuccess, posted.Error?.Message);
            return posted.Value;
        }

        await Pay("C1", 100m, new DateOnly(2026, 11, 10)); // cured
        await Pay("C2", 40m, new DateOnly(2026, 10, 5)); // before its assignment: not recovered by the strategy
        await Pay("C2", 20m, new DateOnly(2026, 11, 20));
        await Pay("C3", 30m, new DateOnly(2026, 10, 20)); // before the run first saw it in the arm
        await Pay("C4", 100m, new DateOnly(2026, 11, 5)); // cured
        var bounced = await Pay("C5", 50m, new DateOnly(2026, 11, 12));
        var reversed = await new ReversePayment(database, _clock).RunAsync(accounts["C5"], bounced.EntryId, "check returned unpaid", "ana", null, null);
        Assert.True(reversed.IsSuccess, reversed.Error?.Message);
        await Pay("C7", 100m, new DateOnly(2026, 11, 5)); // another segment
        return (database, accounts);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task EachArm_HasItsAccountsRecoveriesCuresPromisesAndContactCosts_AsWorkedOutByHand(DatabaseProvider provider)
    {
        var (database, _) = await SeedAsync(provider);

        var report = await new ChampionChallengerReport(database, ContactCosts.Default).RunAsync(DebtType.Consumer, "Standard", AsOf, armOrder: ["champion", "challenger"]);

        Assert.Equal(Currency.USD, report.Currency);
        var (champion, challenger) = (report.Arms[0], report.Arms[1]);
        Assert.Equal(("champion", 3, "challenger", 3), (champion.Arm, champion.Accounts, challenger.Arm, challenger.Accounts));

        // Recovered: C1 100.00 + C2 20.00 (its 40.00 came before) + C3 nothing counted = 120.00; C4 100.00 + C5 50.00 − 50.00 reversed = 100.00.
        Assert.Equal((12_000L, 10_000L), (champion.RecoveredMinor, challenger.RecoveredMinor));
        Assert.Equal(4_000, champion.RecoveredPerAccountMinor, 6);

        // Cured: C1 and C4 paid in full; C5's reversal put its invoice back.
        Assert.Equal((1, 1), (champion.Cured, challenger.Cured));

        // Promises after assignment: C2 one; C4 two (C6's came before it joined).
        Assert.Equal((1, 1, 1, 2), (champion.AccountsWithPromise, champion.Promises, challenger.AccountsWithPromise, challenger.Promises));

        // Contacts done: champion 2 letters + 1 e-mail = 2 × 0.85 + 0.01; challenger 2 calls + 1 text + 1 e-mail = 2 × 2.50 + 0.05 + 0.01.
        Assert.Equal(new Dictionary<StepAction, int> { [StepAction.Letter] = 2, [StepAction.Email] = 1 }, champion.Contacts);
        Assert.Equal((171L, 506L), (champion.CostMinor, challenger.CostMinor));

        // Welch on (100.00, 20.00, 0) against (100.00, 0, 0): t = 0.1474 on 3.97 degrees of freedom, p = 0.8900.
        var tests = Assert.Single(report.Tests);
        Assert.Equal(0.1474420, tests.Recovered.Statistic, 6);
        Assert.Equal(0.8899678, tests.Recovered.PValue!.Value, 6);
        Assert.Equal(1.0, tests.Cure.PValue!.Value, 9);
        Assert.False(tests.Promise.Significant);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TheSegmentList_PutsTheSplitSegmentFirst_WithItsArms(DatabaseProvider provider)
    {
        var (database, _) = await SeedAsync(provider);

        var segments = await new ChampionChallengerReport(database, ContactCosts.Default).SegmentsAsync();

        Assert.Equal(
            [(DebtType.Consumer, "Standard", "challenger,champion", 6), (DebtType.Consumer, "Small balance", "champion", 1)],
            segments.Select(s => (s.DebtType, s.Segment, string.Join(",", s.Arms), s.Accounts)));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AnEarlierAsOfDate_CountsOnlyWhatHadHappenedByThen(DatabaseProvider provider)
    {
        var (database, _) = await SeedAsync(provider);

        var report = await new ChampionChallengerReport(database, ContactCosts.Default).RunAsync(DebtType.Consumer, "Standard", new DateOnly(2026, 11, 7), armOrder: ["champion", "challenger"]);

        // By 7 November only C4 had paid (100.00, in full); the e-mail to C6 on 1 November is there, C2's promise too.
        Assert.Equal((0L, 10_000L), (report.Arms[0].RecoveredMinor, report.Arms[1].RecoveredMinor));
        Assert.Equal((0, 1), (report.Arms[0].Cured, report.Arms[1].Cured));
        Assert.Equal((1, 2), (report.Arms[0].Promises, report.Arms[1].Promises));
    }

    [Fact]
    public void ContactCosts_FromConfiguration_OverrideTheDefaults_AndRefuseAnUnknownChannel()
    {
        var configured = ContactCosts.Load(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Recoup:Strategies:ContactCosts:letter"] = "1.20",
        }).Build());
        var wrong = Assert.Throws<InvalidOperationException>(() => ContactCosts.Load(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Recoup:Strategies:ContactCosts:fax"] = "1",
        }).Build()));

        Assert.Equal((1.20m, 2.50m), (configured.For(StepAction.Letter), configured.For(StepAction.CallTask)));
        Assert.Contains("Recoup:Strategies:ContactCosts:fax is not a kind of contact", wrong.Message);
    }
}
