using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;
using Recoup.Domain.Strategies;
using Recoup.Services.Storage;

namespace Recoup.Services.Strategies;

/// <summary>
/// What one contact of each kind costs, in major units of the account's currency
/// (<c>Recoup:Strategies:ContactCosts:letter</c>, <c>…:email</c>, <c>…:sms</c>, <c>…:call_task</c>, …).
/// The defaults are rough figures for a US collections operation: printed and mailed letter 0.85, e-mail
/// 0.01, text 0.05, a collector's call 2.50; other actions cost nothing.
/// </summary>
public sealed record ContactCosts(IReadOnlyDictionary<StepAction, decimal> PerContact)
{
    public const string Section = "Recoup:Strategies:ContactCosts";

    public static ContactCosts Default { get; } = new(new Dictionary<StepAction, decimal>
    {
        [StepAction.Letter] = 0.85m,
        [StepAction.Email] = 0.01m,
        [StepAction.Sms] = 0.05m,
        [StepAction.CallTask] = 2.50m,
    });

    public decimal For(StepAction action) => PerContact.GetValueOrDefault(action);

    /// <summary>What the contacts cost in the currency's minor units: each contact's cost rounded to the currency once, times the number of contacts.</summary>
    public long CostMinor(IReadOnlyDictionary<StepAction, int> contacts, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        return contacts.Sum(c => c.Value * Money.FromMajor(For(c.Key), currency, MidpointRounding.AwayFromZero).Minor);
    }

    /// <summary>The defaults, overridden by whatever the section sets; an unknown action or a bad number stops the start-up naming the key.</summary>
    public static ContactCosts Load(IConfiguration? configuration)
    {
        var section = configuration?.GetSection(Section);
        if (section is null || !section.GetChildren().Any())
        {
            return Default;
        }

        var costs = new Dictionary<StepAction, decimal>(Default.PerContact);
        var names = Enum.GetValues<StepAction>().ToDictionary(DailyRun.ActionName, a => a, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!names.TryGetValue(child.Key, out var action))
            {
                throw new InvalidOperationException($"{Section}:{child.Key} is not a kind of contact; use one of {string.Join(", ", names.Keys)}");
            }

            costs[action] = ConfigurationValues.Decimal(section, child.Key) ?? 0;
        }

        return new ContactCosts(costs);
    }
}

/// <summary>One arm's figures in a champion/challenger comparison.</summary>
/// <param name="RecoveredMinor">Payments posted to the arm's accounts from their assignment to the as-of date, net of reversals.</param>
/// <param name="Cured">Accounts with nothing past due on the as-of date (brought current, or paid).</param>
/// <param name="AccountsWithPromise">Accounts that made at least one promise to pay after assignment.</param>
/// <param name="Contacts">Steps carried out, per action (<c>letter</c>, <c>email</c>, …).</param>
/// <param name="CostMinor">The contacts priced by <see cref="ContactCosts"/>.</param>
public sealed record ArmFigures(
    string Arm,
    int Accounts,
    Currency Currency,
    long RecoveredMinor,
    int Cured,
    int AccountsWithPromise,
    int Promises,
    IReadOnlyDictionary<StepAction, int> Contacts,
    long CostMinor,
    SampleSummary RecoveredPerAccount)
{
    public double CureRate => Accounts == 0 ? 0 : (double)Cured / Accounts;
    public double PromiseRate => Accounts == 0 ? 0 : (double)AccountsWithPromise / Accounts;
    public double PromisesPerAccount => Accounts == 0 ? 0 : (double)Promises / Accounts;
    public double RecoveredPerAccountMinor => RecoveredPerAccount.Mean;
    public double CostPerAccountMinor => Accounts == 0 ? 0 : (double)CostMinor / Accounts;
}

/// <summary>A challenger against the champion (the segment's first arm): each measure's test.</summary>
public sealed record ChallengerTests(string Champion, string Challenger, SignificanceTest Recovered, SignificanceTest Cure, SignificanceTest Promise)
{
    /// <summary>Recovered per account by Welch's t-test, the cure and promise rates by the two-proportion z-test.</summary>
    public static ChallengerTests Of(ArmFigures champion, ArmFigures challenger, double confidence = ArmComparison.DefaultConfidence)
    {
        ArgumentNullException.ThrowIfNull(champion);
        ArgumentNullException.ThrowIfNull(challenger);
        return new ChallengerTests(
            champion.Arm,
            challenger.Arm,
            ArmComparison.WelchTTest(champion.RecoveredPerAccount, challenger.RecoveredPerAccount, confidence),
            ArmComparison.TwoProportionZTest(champion.Cured, champion.Accounts, challenger.Cured, challenger.Accounts, confidence),
            ArmComparison.TwoProportionZTest(champion.AccountsWithPromise, champion.Accounts, challenger.AccountsWithPromise, challenger.Accounts, confidence));
    }
}

/// <summary>The comparison of one segment's arms, in one currency, as of a date.</summary>
public sealed record ChampionChallengerResult(
    DebtType DebtType,
    string Segment,
    Currency? Currency,
    DateOnly AsOf,
    IReadOnlyList<ArmFigures> Arms,
    IReadOnlyList<ChallengerTests> Tests,
    IReadOnlyList<Currency> Currencies);

/// <summary>A segment the run has put accounts in, with its arms (from the accounts' strategy states).</summary>
public sealed record SplitSegment(DebtType DebtType, string Segment, IReadOnlyList<string> Arms, int Accounts);

/// <summary>
/// The champion/challenger report (docs/strategies.md): for a segment whose accounts the run split
/// between arms, per arm the accounts, the money recovered per account, the cure rate, the promise rate
/// and the cost of contacts, each challenger tested against the champion (<see cref="ArmComparison"/>).
/// </summary>
/// <remarks>
/// <para>An account belongs to the arm its strategy state names (the arm it followed last). It counts
/// from its assignment: the business date of its first step in that segment and arm, or, when it has
/// taken none yet, the last run that saw it.</para>
/// <para>Set-based: a few grouped queries over the segment's accounts, whatever their number; only one
/// number per account with a payment comes back (for the t-test).</para>
/// </remarks>
public sealed class ChampionChallengerReport(RecoupDatabase database, ContactCosts costs)
{
    /// <summary>The segments that have accounts, with their arms, split ones first.</summary>
    public async Task<IReadOnlyList<SplitSegment>> SegmentsAsync(CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var rows = await db.AccountStrategyStates.AsNoTracking()
            .GroupBy(s => new { s.DebtType, s.Segment, s.Arm })
            .Select(g => new { g.Key.DebtType, g.Key.Segment, g.Key.Arm, Accounts = g.Count() })
            .ToListAsync(ct);
        return rows.GroupBy(r => (r.DebtType, r.Segment))
            .Select(g => new SplitSegment(g.Key.DebtType, g.Key.Segment, g.Select(r => r.Arm).Order(StringComparer.Ordinal).ToList(), g.Sum(r => r.Accounts)))
            .OrderByDescending(s => s.Arms.Count > 1).ThenBy(s => s.DebtType).ThenBy(s => s.Segment, StringComparer.Ordinal)
            .ToList();
    }

    /// <param name="currency">The accounts' currency; null: the currency most of the segment's accounts are in.</param>
    /// <param name="armOrder">The arms in the strategy's order (champion first); arms not in it follow by name.</param>
    public async Task<ChampionChallengerResult> RunAsync(
        DebtType debtType, string segment, DateOnly asOf, Currency? currency = null, IReadOnlyList<string>? armOrder = null, double confidence = ArmComparison.DefaultConfidence, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(segment);
        await using var db = database.CreateContext();

        var states = db.AccountStrategyStates.AsNoTracking().Where(s => s.DebtType == debtType && s.Segment == segment);
        var currencies = (await (from s in states
                                 join a in db.Accounts.AsNoTracking() on s.AccountId equals a.Id
                                 group a by a.Currency into g
                                 select new { Currency = g.Key, Accounts = g.Count() }).ToListAsync(ct))
            .OrderByDescending(c => c.Accounts).ThenBy(c => c.Currency.Code, StringComparer.Ordinal).Select(c => c.Currency).ToList();
        var chosen = currency ?? (currencies.Count > 0 ? currencies[0] : null);
        if (chosen is not { } money)
        {
            return new ChampionChallengerResult(debtType, segment, currency, asOf, [], [], currencies);
        }

        // The population: each account with its arm and the date it entered the arm.
        var population =
            from s in states
            join a in db.Accounts.AsNoTracking() on s.AccountId equals a.Id
            where a.Currency == money
            select new
            {
                s.AccountId,
                s.Arm,
                Since = db.StrategyStepsTaken.Where(t => t.AccountId == s.AccountId && t.Segment == segment && t.Arm == s.Arm).Min(t => (DateOnly?)t.AsOf) ?? s.LastRunOn,
            };

        var accounts = await population.GroupBy(p => p.Arm).Select(g => new { Arm = g.Key, Accounts = g.Count() }).ToListAsync(ct);

        var paid = await (from p in population
                          join e in db.LedgerEntries.AsNoTracking() on p.AccountId equals e.AccountId
                          where e.Kind == EntryKind.Payment && e.EffectiveDate >= p.Since && e.EffectiveDate <= asOf
                          group e by new { p.AccountId, p.Arm } into g
                          select new { g.Key.AccountId, g.Key.Arm, Minor = -g.Sum(e => e.AmountMinor) }).ToListAsync(ct);
        var reversed = await (from p in population
                              join e in db.LedgerEntries.AsNoTracking() on p.AccountId equals e.AccountId
                              join original in db.LedgerEntries.AsNoTracking() on e.ReversesEntryId equals original.Id
                              where e.Kind == EntryKind.Reversal && original.Kind == EntryKind.Payment && e.EffectiveDate >= p.Since && e.EffectiveDate <= asOf
                              group e by new { p.AccountId, p.Arm } into g
                              select new { g.Key.AccountId, g.Key.Arm, Minor = g.Sum(e => e.AmountMinor) }).ToListAsync(ct);
        var recovered = paid.Select(p => (p.AccountId, p.Arm, p.Minor)).Concat(reversed.Select(r => (r.AccountId, r.Arm, Minor: -r.Minor)))
            .GroupBy(r => (r.AccountId, r.Arm))
            .Select(g => (g.Key.Arm, Minor: g.Sum(r => r.Minor)))
            .ToLookup(r => r.Arm, r => r.Minor, StringComparer.Ordinal);

        // Past due on the as-of date: an invoice due before it with something open on it (its allocations up to the date).
        var openPastDue =
            from p in population
            join al in db.Allocations.AsNoTracking() on p.AccountId equals al.AccountId
            join i in db.Invoices.AsNoTracking() on al.InvoiceId equals i.Id
            where al.EffectiveDate <= asOf && i.DueDate < asOf
            group al by new { p.AccountId, p.Arm, al.InvoiceId } into g
            where g.Sum(al => al.AmountMinor) > 0
            select new { g.Key.AccountId, g.Key.Arm };
        var pastDue = await openPastDue.Distinct().GroupBy(p => p.Arm).Select(g => new { Arm = g.Key, Accounts = g.Count() }).ToListAsync(ct);

        var promises = await (from p in population
                              join pr in db.Promises.AsNoTracking() on p.AccountId equals pr.AccountId
                              where pr.TakenOn >= p.Since && pr.TakenOn <= asOf
                              group pr by new { p.AccountId, p.Arm } into g
                              select new { g.Key.Arm, Promises = g.Count() }).ToListAsync(ct);

        var contacts = await (from p in population
                              join t in db.StrategyStepsTaken.AsNoTracking() on p.AccountId equals t.AccountId
                              where t.Segment == segment && t.Arm == p.Arm && t.Outcome == "done" && t.AsOf <= asOf
                              group t by new { p.Arm, t.Action } into g
                              select new { g.Key.Arm, g.Key.Action, Steps = g.Count() }).ToListAsync(ct);
        var actions = Enum.GetValues<StepAction>().ToDictionary(DailyRun.ActionName, a => a, StringComparer.Ordinal);

        var arms = InArmOrder(accounts, a => a.Arm, armOrder)
            .Select(a =>
            {
                var amounts = recovered[a.Arm].ToList();
                var steps = contacts.Where(c => c.Arm == a.Arm && actions.ContainsKey(c.Action)).ToDictionary(c => actions[c.Action], c => c.Steps);
                var cost = costs.CostMinor(steps, money);
                var perAccount = SampleSummary.Of(amounts.Select(m => (double)m).Concat(Enumerable.Repeat(0.0, a.Accounts - amounts.Count)));
                var armPromises = promises.Where(p => p.Arm == a.Arm).ToList();
                return new ArmFigures(a.Arm, a.Accounts, money, amounts.Sum(), a.Accounts - (pastDue.FirstOrDefault(p => p.Arm == a.Arm)?.Accounts ?? 0),
                    armPromises.Count, armPromises.Sum(p => p.Promises), steps, cost, perAccount);
            })
            .ToList();

        var tests = arms.Skip(1).Select(challenger => ChallengerTests.Of(arms[0], challenger, confidence)).ToList();
        return new ChampionChallengerResult(debtType, segment, money, asOf, arms, tests, currencies);
    }

    /// <summary>The arms in the strategy's order (champion first); arms the order does not name follow by name.</summary>
    public static IEnumerable<T> InArmOrder<T>(IEnumerable<T> items, Func<T, string> arm, IReadOnlyList<string>? armOrder)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(arm);
        var order = armOrder?.ToList() ?? [];
        return items.OrderBy(i => order.Contains(arm(i)) ? order.IndexOf(arm(i)) : int.MaxValue).ThenBy(arm, StringComparer.Ordinal);
    }
}

/// <summary>The comparison as a table (one row per arm, the champion first), for the screen's CSV export.</summary>
public static class ChampionChallengerTable
{
    public static Reporting.ReportTable Of(ChampionChallengerResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string[] columns =
        [
            "Arm", "Accounts", "Currency", "Recovered", "Recovered per account", "Cured", "Cure rate %", "Accounts with a promise", "Promise rate %",
            "Promises per account", "Letters", "E-mails", "Texts", "Call tasks", "Contact cost", "Contact cost per account",
            "p (recovered)", "p (cure)", "p (promise)",
        ];
        var rows = result.Arms.Select(arm =>
        {
            var tests = result.Tests.FirstOrDefault(t => t.Challenger == arm.Arm);
            var exponent = arm.Currency.Exponent;
            return (IReadOnlyList<object?>)
            [
                arm.Arm, arm.Accounts, arm.Currency.Code, Major(arm.RecoveredMinor, exponent), Major(arm.RecoveredPerAccountMinor, exponent), arm.Cured,
                Percent(arm.CureRate), arm.AccountsWithPromise, Percent(arm.PromiseRate), Math.Round((decimal)arm.PromisesPerAccount, 3, MidpointRounding.AwayFromZero),
                arm.Contacts.GetValueOrDefault(StepAction.Letter), arm.Contacts.GetValueOrDefault(StepAction.Email), arm.Contacts.GetValueOrDefault(StepAction.Sms),
                arm.Contacts.GetValueOrDefault(StepAction.CallTask), Major(arm.CostMinor, exponent), Major(arm.CostPerAccountMinor, exponent),
                P(tests?.Recovered), P(tests?.Cure), P(tests?.Promise),
            ];
        }).ToList();
        return new Reporting.ReportTable($"Champion/challenger: {result.Segment} ({result.DebtType}), as of {result.AsOf:yyyy-MM-dd}", columns, rows);
    }

    private static decimal Major(double minor, int exponent) => Math.Round((decimal)minor / Pow10(exponent), exponent, MidpointRounding.AwayFromZero);

    private static decimal Percent(double rate) => Math.Round((decimal)rate * 100, 1, MidpointRounding.AwayFromZero);

    private static decimal? P(SignificanceTest? test) => test?.PValue is { } p ? Math.Round((decimal)p, 4, MidpointRounding.AwayFromZero) : null;

    private static decimal Pow10(int exponent)
    {
        var value = 1m;
        for (var i = 0; i < exponent; i++)
        {
            value *= 10;
        }

        return value;
    }
}
