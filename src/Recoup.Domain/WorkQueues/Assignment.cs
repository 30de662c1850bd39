using Recoup.Domain.Debtors;

namespace Recoup.Domain.WorkQueues;

/// <summary>
/// Which collectors get the accounts that meet every condition given: a debt type, a balance band,
/// regions and a language (a condition left null or empty holds for every account). Rules are tried
/// by <see cref="Order"/>; an account goes to the first that matches.
/// </summary>
/// <param name="MinBalanceSortKey">Lowest balance, inclusive, in ten-thousandths of the major unit (<see cref="QueueCandidate.BalanceSortKey"/>).</param>
/// <param name="MaxBalanceSortKey">Balance the band stops below (exclusive), in the same unit.</param>
/// <param name="Regions">State or province codes, compared ignoring case; empty for any region. An account with no region matches only an empty set.</param>
/// <param name="Language">ISO 639-1 code, compared ignoring case; null for any language.</param>
/// <param name="Collectors">User names, served round-robin in this order.</param>
public sealed record AssignmentRule(
    Guid Id,
    int Order,
    string Name,
    DebtType? DebtType,
    long? MinBalanceSortKey,
    long? MaxBalanceSortKey,
    IReadOnlySet<string> Regions,
    string? Language,
    IReadOnlyList<string> Collectors)
{
    /// <summary>Whether every condition of the rule holds for the account (its collectors' capacity aside).</summary>
    public bool Matches(in QueueCandidate candidate)
    {
        var region = candidate.Region;
        return (DebtType is null || DebtType == candidate.DebtType)
            && (MinBalanceSortKey is null || candidate.BalanceSortKey >= MinBalanceSortKey)
            && (MaxBalanceSortKey is null || candidate.BalanceSortKey < MaxBalanceSortKey)
            && (Regions.Count == 0 || (region is not null && Regions.Any(r => string.Equals(r, region, StringComparison.OrdinalIgnoreCase))))
            && (Language is null || string.Equals(Language, candidate.Language, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Every reason the rule is unusable as written (empty when it is fine): no name, an empty balance band, no collectors.</summary>
    public IReadOnlyList<Error> Validate()
    {
        var errors = new List<Error>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add(new Error("rule_name", "The rule needs a name", nameof(Name)));
        }

        if (MinBalanceSortKey is { } min && MaxBalanceSortKey is { } max && min >= max)
        {
            errors.Add(new Error("rule_band", "The lowest balance must be below the balance the band stops at", nameof(MaxBalanceSortKey)));
        }

        if (Collectors.Count == 0 || Collectors.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add(new Error("rule_collectors", "Name at least one collector, and no empty names", nameof(Collectors)));
        }

        return errors;
    }
}

/// <summary>How many accounts a collector may hold, and whether the collector is working at all.</summary>
/// <param name="Capacity">The most queueable accounts the collector may hold, those kept included.</param>
/// <param name="Active">An inactive collector (on leave, gone) keeps nothing and gets nothing.</param>
public sealed record CollectorCapacity(string UserName, int Capacity, bool Active);

/// <summary>Why an account was left without a collector.</summary>
public enum UnassignedReason
{
    /// <summary>No rule matches the account (code <c>no-rule</c>).</summary>
    NoRule,

    /// <summary>The first matching rule has no active collector with room (code <c>capacity</c>).</summary>
    Capacity,
}

/// <summary>Why a bulk move left an account where it was.</summary>
public enum NotMovedReason
{
    /// <summary>No target collector had room (code <c>capacity</c>).</summary>
    Capacity,

    /// <summary>The account is already with one of the targets (code <c>already-there</c>).</summary>
    AlreadyWithTarget,

    /// <summary>Nothing is owed, so the account is in no queue (code <c>not-queueable</c>).</summary>
    NotQueueable,
}

/// <summary>The stable codes of the reasons, for APIs and reports.</summary>
public static class AssignmentCodes
{
    public static string Code(this UnassignedReason reason) => reason switch
    {
        UnassignedReason.NoRule => "no-rule",
        UnassignedReason.Capacity => "capacity",
    };

    public static string Code(this NotMovedReason reason) => reason switch
    {
        NotMovedReason.Capacity => "capacity",
        NotMovedReason.AlreadyWithTarget => "already-there",
        NotMovedReason.NotQueueable => "not-queueable",
    };
}

/// <summary>A new assignment: the account goes to the collector by the rule.</summary>
public readonly record struct Assignment(Guid AccountId, string Collector, Guid RuleId);

/// <summary>An account that stays without a collector, and why.</summary>
public readonly record struct UnassignedAccount(Guid AccountId, UnassignedReason Reason);

/// <summary>One collector after assignment: the accounts kept plus those newly assigned.</summary>
public sealed record CollectorLoad(string UserName, int Capacity, bool Active, int Kept, int Assigned)
{
    public int Total => Kept + Assigned;
}

/// <summary>The outcome of <see cref="Assigner.Assign"/>.</summary>
public sealed class AssignmentResult
{
    private readonly int[] _unassignedByReason;

    internal AssignmentResult(List<Assignment> assignments, List<UnassignedAccount> unassigned, IReadOnlyList<CollectorLoad> collectors, int kept,
        int notQueueable, int[] unassignedByReason)
    {
        Assignments = assignments;
        Unassigned = unassigned;
        Collectors = collectors;
        Kept = kept;
        NotQueueable = notQueueable;
        _unassignedByReason = unassignedByReason;
    }

    /// <summary>The new assignments, highest priority first.</summary>
    public IReadOnlyList<Assignment> Assignments { get; }

    /// <summary>The accounts left without a collector, highest priority first.</summary>
    public IReadOnlyList<UnassignedAccount> Unassigned { get; }

    /// <summary>Every collector given, in the order given, with what they keep and what they got.</summary>
    public IReadOnlyList<CollectorLoad> Collectors { get; }

    /// <summary>Accounts that stay with their active collector.</summary>
    public int Kept { get; }

    /// <summary>Accounts with nothing owed, which enter no queue and were left alone.</summary>
    public int NotQueueable { get; }

    /// <summary>How many accounts were left without a collector for this reason.</summary>
    public int UnassignedCount(UnassignedReason reason) => _unassignedByReason[(int)reason];
}

/// <summary>A bulk move: the account leaves <see cref="From"/> (null when it had no collector) for <see cref="To"/>.</summary>
public readonly record struct Move(Guid AccountId, string? From, string To);

/// <summary>An account a bulk move left where it was, and why.</summary>
public readonly record struct NotMoved(Guid AccountId, NotMovedReason Reason);

/// <summary>The outcome of <see cref="Assigner.Reassign"/>.</summary>
/// <param name="Moves">Highest priority first.</param>
/// <param name="NotMoved">Those with something owed highest priority first, then those with nothing owed.</param>
/// <param name="IgnoredTargets">Targets that are unknown or inactive, and so got nothing.</param>
public sealed record ReassignmentResult(IReadOnlyList<Move> Moves, IReadOnlyList<NotMoved> NotMoved, IReadOnlyList<string> IgnoredTargets);

/// <summary>
/// Hands accounts to collectors by the assignment rules, round-robin and within capacity. Pure: the
/// service layer loads the candidates, calls this and writes the result.
/// </summary>
/// <remarks>See docs/work-queues.md, "Assignment rules", for the algorithm in prose.</remarks>
public static class Assigner
{
    /// <summary>
    /// Assigns every queueable account that has no active collector. Accounts with an active
    /// collector keep it and count against that collector's capacity (even beyond it: nothing is taken
    /// away). The rest, highest priority first (<see cref="QueuePriority.Compare"/>), go to the first
    /// rule by order whose conditions hold, and within it round-robin to the next active collector with
    /// room; when none has room the account stays unassigned for <see cref="UnassignedReason.Capacity"/>
    /// (it does not fall through to a later rule), and with no matching rule for
    /// <see cref="UnassignedReason.NoRule"/>.
    /// </summary>
    /// <remarks>
    /// Collector names compare exactly (ordinal); an account whose collector is not in
    /// <paramref name="collectors"/> is treated as one whose collector is inactive. Rules with equal
    /// order are tried by id. Each account must appear once. The result depends only on the inputs'
    /// content, not on the order of the candidates.
    /// </remarks>
    /// <exception cref="ArgumentException">A collector's user name is given twice.</exception>
    public static AssignmentResult Assign(ReadOnlySpan<QueueCandidate> candidates, IReadOnlyList<AssignmentRule> rules,
        IReadOnlyList<CollectorCapacity> collectors, QueuePriorityWeights weights)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(weights);
        var roster = new Roster(collectors);
        var compiled = CompiledRules.Compile(rules, roster);

        // Pass 1, in input order (sequential memory): keep what active collectors hold; match the rest
        // to their rule and rank them.
        var keys = new RankKey[candidates.Length];
        var pending = 0;
        var kept = 0;
        var notQueueable = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            ref readonly var candidate = ref candidates[i];
            if (!QueuePriority.IsQueueable(candidate))
            {
                notQueueable++;
                continue;
            }

            var holder = roster.IndexOf(candidate.Collector);
            if (holder >= 0 && roster.Active[holder])
            {
                roster.Load[holder]++;
                roster.Kept[holder]++;
                kept++;
                continue;
            }

            var rule = compiled.FirstMatch(candidate);
            keys[pending++] = new RankKey(QueuePriority.Score(candidate, weights), candidate.BalanceSortKey, candidate.AccountId, i, rule);
        }

        var ranked = keys.AsSpan(0, pending);
        ranked.Sort();

        // Pass 2, in priority order: each to its rule's next collector with room.
        var assignments = new List<Assignment>(pending);
        var unassigned = new List<UnassignedAccount>();
        var unassignedByReason = new int[2];
        foreach (ref readonly var key in ranked)
        {
            if (key.Tag < 0)
            {
                unassigned.Add(new UnassignedAccount(key.AccountId, UnassignedReason.NoRule));
                unassignedByReason[(int)UnassignedReason.NoRule]++;
                continue;
            }

            var rule = compiled[key.Tag];
            var collector = rule.NextWithRoom(roster.Load, roster.Capacity);
            if (collector < 0)
            {
                unassigned.Add(new UnassignedAccount(key.AccountId, UnassignedReason.Capacity));
                unassignedByReason[(int)UnassignedReason.Capacity]++;
                continue;
            }

            roster.Load[collector]++;
            assignments.Add(new Assignment(key.AccountId, roster.Names[collector], rule.Id));
        }

        return new AssignmentResult(assignments, unassigned, roster.Loads(), kept, notQueueable, unassignedByReason);
    }

    /// <summary>
    /// A supervisor's bulk move: spreads <paramref name="accounts"/> over <paramref name="targets"/>,
    /// highest priority first, round-robin and within capacity. The rules play no part: the supervisor
    /// chose the accounts and the collectors.
    /// </summary>
    /// <param name="currentLoad">How many queueable accounts each collector holds now (a missing name holds none).</param>
    /// <remarks>
    /// Targets that are unknown or inactive are ignored and listed in the result. An account already
    /// with one of the targets stays there, one with nothing owed is not moved, and one for which no
    /// target has room stays where it was; each is listed with its reason.
    /// </remarks>
    /// <exception cref="ArgumentException">A collector's user name is given twice.</exception>
    public static ReassignmentResult Reassign(ReadOnlySpan<QueueCandidate> accounts, IReadOnlyList<string> targets,
        IReadOnlyList<CollectorCapacity> collectors, IReadOnlyDictionary<string, int> currentLoad, QueuePriorityWeights weights)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(currentLoad);
        ArgumentNullException.ThrowIfNull(weights);
        var roster = new Roster(collectors);
        for (var i = 0; i < roster.Names.Length; i++)
        {
            roster.Load[i] = currentLoad.GetValueOrDefault(roster.Names[i]);
        }

        var ignored = new List<string>();
        var chosen = new List<int>();
        var isTarget = new bool[roster.Names.Length];
        foreach (var target in targets)
        {
            var index = roster.IndexOf(target);
            if (index < 0 || !roster.Active[index])
            {
                ignored.Add(target);
            }
            else if (!isTarget[index])
            {
                isTarget[index] = true;
                chosen.Add(index);
            }
        }

        var spread = new CompiledRule(Guid.Empty, null, long.MinValue, long.MaxValue, null, CompiledRules.AnyLanguage, [.. chosen]);
        var moves = new List<Move>();
        var notMoved = new List<NotMoved>();
        foreach (var index in QueuePriority.Order(accounts, weights))
        {
            ref readonly var account = ref accounts[index];
            var holder = roster.IndexOf(account.Collector);
            if (holder >= 0 && isTarget[holder])
            {
                notMoved.Add(new NotMoved(account.AccountId, NotMovedReason.AlreadyWithTarget));
                continue;
            }

            var to = spread.NextWithRoom(roster.Load, roster.Capacity);
            if (to < 0)
            {
                notMoved.Add(new NotMoved(account.AccountId, NotMovedReason.Capacity));
                continue;
            }

            roster.Load[to]++;
            moves.Add(new Move(account.AccountId, account.Collector, roster.Names[to]));
        }

        foreach (ref readonly var account in accounts)
        {
            if (!QueuePriority.IsQueueable(account))
            {
                notMoved.Add(new NotMoved(account.AccountId, NotMovedReason.NotQueueable));
            }
        }

        return new ReassignmentResult(moves, notMoved, ignored);
    }

    /// <summary>The collectors as indexes, so the hot loop counts in arrays instead of looking up names.</summary>
    private sealed class Roster
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private string? _lastName;
        private int _lastIndex = -1;

        public Roster(IReadOnlyList<CollectorCapacity> collectors)
        {
            ArgumentNullException.ThrowIfNull(collectors);
            Names = new string[collectors.Count];
            Capacity = new int[collectors.Count];
            Active = new bool[collectors.Count];
            Load = new int[collectors.Count];
            Kept = new int[collectors.Count];
            for (var i = 0; i < collectors.Count; i++)
            {
                var collector = collectors[i];
                if (!_index.TryAdd(collector.UserName, i))
                {
                    throw new ArgumentException($"Collector '{collector.UserName}' is given twice", nameof(collectors));
                }

                Names[i] = collector.UserName;
                Capacity[i] = Math.Max(0, collector.Capacity);
                Active[i] = collector.Active;
            }
        }

        public string[] Names { get; }
        public int[] Capacity { get; }
        public bool[] Active { get; }
        public int[] Load { get; }
        public int[] Kept { get; }

        /// <summary>The collector's index, or -1. Remembers the last name, since loaders tend to share one string per collector.</summary>
        public int IndexOf(string? name)
        {
            if (name is null)
            {
                return -1;
            }

            if (!ReferenceEquals(name, _lastName))
            {
                _lastIndex = _index.TryGetValue(name, out var index) ? index : -1;
                _lastName = name;
            }

            return _lastIndex;
        }

        public CollectorLoad[] Loads()
        {
            var loads = new CollectorLoad[Names.Length];
            for (var i = 0; i < loads.Length; i++)
            {
                loads[i] = new CollectorLoad(Names[i], Capacity[i], Active[i], Kept[i], Load[i] - Kept[i]);
            }

            return loads;
        }
    }

    /// <summary>The rules in the order they are tried, with regions and languages turned into small integers.</summary>
    private sealed class CompiledRules
    {
        public const int AnyLanguage = -1;
        private const int UnknownLanguage = -2;

        private readonly CompiledRule[] _rules;
        private readonly Dictionary<string, int> _regionIds;
        private readonly Dictionary<string, int> _languageIds;
        private string? _lastRegion;
        private int _lastRegionId = -1;
        private string? _lastLanguage;
        private int _lastLanguageId = UnknownLanguage;

        private CompiledRules(CompiledRule[] rules, Dictionary<string, int> regionIds, Dictionary<string, int> languageIds)
        {
            _rules = rules;
            _regionIds = regionIds;
            _languageIds = languageIds;
        }

        public static CompiledRules Compile(IReadOnlyList<AssignmentRule> rules, Roster roster)
        {
            var regionIds = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var languageIds = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach (var rule in rules)
            {
                foreach (var region in rule.Regions)
                {
                    regionIds.TryAdd(region, regionIds.Count);
                }

                if (rule.Language is not null)
                {
                    languageIds.TryAdd(rule.Language, languageIds.Count);
                }
            }

            var ordered = rules.OrderBy(r => r.Order).ThenBy(r => r.Id).ToArray();
            var compiled = new CompiledRule[ordered.Length];
            for (var r = 0; r < ordered.Length; r++)
            {
                var rule = ordered[r];
                bool[]? regions = null;
                if (rule.Regions.Count > 0)
                {
                    regions = new bool[regionIds.Count];
                    foreach (var region in rule.Regions)
                    {
                        regions[regionIds[region]] = true;
                    }
                }

                var collectors = new List<int>();
                foreach (var name in rule.Collectors)
                {
                    var index = roster.IndexOf(name);
                    if (index >= 0 && roster.Active[index] && !collectors.Contains(index))
                    {
                        collectors.Add(index);
                    }
                }

                compiled[r] = new CompiledRule(
                    rule.Id,
                    rule.DebtType,
                    rule.MinBalanceSortKey ?? long.MinValue,
                    rule.MaxBalanceSortKey ?? long.MaxValue,
                    regions,
                    rule.Language is null ? AnyLanguage : languageIds[rule.Language],
                    [.. collectors]);
            }

            return new CompiledRules(compiled, regionIds, languageIds);
        }

        public CompiledRule this[int index] => _rules[index];

        /// <summary>The index of the first rule whose conditions hold, or -1.</summary>
        public int FirstMatch(in QueueCandidate candidate)
        {
            var region = RegionId(candidate.Region);
            var language = LanguageId(candidate.Language);
            for (var r = 0; r < _rules.Length; r++)
            {
                if (_rules[r].Matches(candidate, region, language))
                {
                    return r;
                }
            }

            return -1;
        }

        private int RegionId(string? region)
        {
            if (region is null || _regionIds.Count == 0)
            {
                return -1;
            }

            if (!ReferenceEquals(region, _lastRegion))
            {
                _lastRegionId = _regionIds.TryGetValue(region, out var id) ? id : -1;
                _lastRegion = region;
            }

            return _lastRegionId;
        }

        private int LanguageId(string? language)
        {
            if (language is null || _languageIds.Count == 0)
            {
                return UnknownLanguage;
            }

            if (!ReferenceEquals(language, _lastLanguage))
            {
                _lastLanguageId = _languageIds.TryGetValue(language, out var id) ? id : UnknownLanguage;
                _lastLanguage = language;
            }

            return _lastLanguageId;
        }
    }

    /// <summary>One rule, compiled: conditions as numbers, collectors as roster indexes, and its round-robin cursor.</summary>
    private sealed class CompiledRule(Guid id, DebtType? debtType, long minBalance, long maxBalance, bool[]? regions, int language, int[] collectors)
    {
        private int _cursor;
        private bool _full;

        public Guid Id { get; } = id;

        /// <param name="region">The candidate's region id, -1 when no rule names it.</param>
        /// <param name="languageId">The candidate's language id, negative when no rule names it.</param>
        public bool Matches(in QueueCandidate candidate, int region, int languageId) =>
            (debtType is null || debtType.GetValueOrDefault() == candidate.DebtType)
            && candidate.BalanceSortKey >= minBalance
            && candidate.BalanceSortKey < maxBalance
            && (regions is null || (region >= 0 && regions[region]))
            && (language == CompiledRules.AnyLanguage || language == languageId);

        /// <summary>
        /// The next collector with room after the last one served, or -1 when all are full. Loads only
        /// grow during a run, so once all are full the rule stays full.
        /// </summary>
        public int NextWithRoom(int[] load, int[] capacity)
        {
            if (_full)
            {
                return -1;
            }

            var count = collectors.Length;
            for (var step = 0; step < count; step++)
            {
                var position = _cursor + step;
                if (position >= count)
                {
                    position -= count;
                }

                var collector = collectors[position];
                if (load[collector] < capacity[collector])
                {
                    _cursor = position + 1 == count ? 0 : position + 1;
                    return collector;
                }
            }

            _full = true;
            return -1;
        }
    }
}
