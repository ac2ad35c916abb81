using Tally.Core.Storage;
using Tally.Core.Usage;

namespace Tally.Storage.Sqlite;

/// <summary>Grouping done here rather than by SQLite: rollup rows (see <see cref="GroupInMemory"/>), and rows re-summed
/// per single tool.</summary>
public sealed partial class SqliteUsageStore
{
    /// <summary>Tests: true or false to group every rollup query here or in SQLite; null to choose (the default).</summary>
    internal bool? GroupRollupInMemory { get; set; }

    /// <summary>
    /// True when a rollup query is grouped here rather than by SQLite: always, except by session over more than two
    /// months (or without a lower bound). Then the groups are many (tens of thousands of sessions and models), and
    /// SQLite reads them in order, summed, from the covering session index: 0.5-0.6 s against 0.7-0.8 s here for a
    /// year of a million records. Both give the same rows.
    /// </summary>
    private bool GroupInMemory(UsageQuery query)
    {
        if (GroupRollupInMemory is { } forced)
        {
            return forced;
        }

        if (!query.GroupBy.HasFlag(GroupBy.Session))
        {
            return true;
        }

        return query.From is { } from && (query.Until ?? DateTimeOffset.UtcNow) - from <= TimeSpan.FromDays(62);
    }

    /// <summary>
    /// Sums rollup rows (the dimensions, then the values of <see cref="Source.Values"/>) by their dimensions, ordered by
    /// each dimension in turn (nulls first, text by ordinal). SQLite's GROUP BY promises no order (it follows whichever
    /// index it reads), and no caller relies on one.
    /// </summary>
    private static List<AggregateRow> GroupRollupRows(RawStatement scan, UsageQuery query, int dimensions)
    {
        // Every text comes from the pool when the columns are read directly: equal texts are then the same string.
        var groups = new Dictionary<GroupKey, GroupSums>(DirectBind.ColumnsAvailable ? GroupKey.ByReference : EqualityComparer<GroupKey>.Default);
        var texts = new string?[5];
        var pool = new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        while (scan.Step())
        {
            var at = 0;
            long bucket = 0;
            if (query.GroupBy.HasFlag(GroupBy.QuarterHour))
            {
                bucket = scan.Int64(at++);
            }

            Array.Clear(texts);
            for (var t = 0; at < dimensions; t++)
            {
                texts[t] = scan.TextOrNull(at++, pool);
            }

            var key = new GroupKey(bucket, texts[0], texts[1], texts[2], texts[3], texts[4]);
            ref var sums = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(groups, key, out var existed);
            sums.Add(scan, at, existed);
        }

        var keys = groups.Keys.ToList();
        keys.Sort(GroupKey.Compare);
        var rows = new List<AggregateRow>(keys.Count);
        foreach (var key in keys)
        {
            rows.Add(ToRow(key, groups[key], query));
        }

        return rows;
    }

    private static AggregateRow ToRow(GroupKey key, GroupSums sums, UsageQuery query)
    {
        var groupBy = query.GroupBy;
        string?[] texts = [key.S0, key.S1, key.S2, key.S3, key.S4];
        var at = 0;
        var model = groupBy.HasFlag(GroupBy.Model) ? texts[at++] : null;
        var session = groupBy.HasFlag(GroupBy.Session) ? texts[at++] : null;
        var project = groupBy.HasFlag(GroupBy.Project) ? texts[at++] : null;
        var agent = groupBy.HasFlag(GroupBy.Agent) ? texts[at++] : null;
        var tools = groupBy.HasFlag(GroupBy.Tool) ? texts[at] : null;
        return sums.Fill(new AggregateRow
        {
            Tool = tools,
            Bucket = groupBy.HasFlag(GroupBy.QuarterHour) ? BucketStart(key.Bucket, query) : null,
            Model = model,
            SessionId = session,
            Project = project,
            AgentId = agent,
        });
    }

    /// <summary>A group's dimensions: the bucket (0 when not grouped by time) and up to five texts, in query order.</summary>
    private readonly record struct GroupKey(long Bucket, string? S0, string? S1, string? S2, string? S3, string? S4)
    {
        /// <summary>Equality of keys whose equal texts are one string (taken from one pool).</summary>
        public static readonly IEqualityComparer<GroupKey> ByReference = new ReferenceComparer();

        /// <summary>By bucket, then by each text in turn: nulls first, then ordinal.</summary>
        public static int Compare(GroupKey a, GroupKey b)
        {
            var c = a.Bucket.CompareTo(b.Bucket);
            c = c != 0 ? c : string.CompareOrdinal(a.S0, b.S0);
            c = c != 0 ? c : string.CompareOrdinal(a.S1, b.S1);
            c = c != 0 ? c : string.CompareOrdinal(a.S2, b.S2);
            c = c != 0 ? c : string.CompareOrdinal(a.S3, b.S3);
            return c != 0 ? c : string.CompareOrdinal(a.S4, b.S4);
        }

        private sealed class ReferenceComparer : IEqualityComparer<GroupKey>
        {
            public bool Equals(GroupKey x, GroupKey y) =>
                x.Bucket == y.Bucket && ReferenceEquals(x.S0, y.S0) && ReferenceEquals(x.S1, y.S1) && ReferenceEquals(x.S2, y.S2)
                && ReferenceEquals(x.S3, y.S3) && ReferenceEquals(x.S4, y.S4);

            public int GetHashCode(GroupKey key) => HashCode.Combine(key.Bucket, Identity(key.S0), Identity(key.S1), Identity(key.S2), Identity(key.S3), Identity(key.S4));

            private static int Identity(string? s) => s is null ? 0 : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(s);
        }

    }

    /// <summary>A group's running sums, in the order of <see cref="Source.Sums"/> and <see cref="Source.Values"/> (SQLite's SUM
    /// raised an error on overflow; so does this). A row SQLite summed is read through it too.</summary>
    private struct GroupSums
    {
        public long Input, Output, Cw5m, Cw1h, CacheRead, WebSearch, Calls, Cost, Unpriced, Long, Reported, MinTs, MaxTs;

        public void Add(RawStatement row, int at, bool existed)
        {
            checked
            {
                Input += row.Int64(at);
                Output += row.Int64(at + 1);
                Cw5m += row.Int64(at + 2);
                Cw1h += row.Int64(at + 3);
                CacheRead += row.Int64(at + 4);
                WebSearch += row.Int64(at + 5);
                Calls += row.Int64(at + 6);
                Cost += row.Int64(at + 7);
                Unpriced += row.Int64(at + 8);
                Long += row.Int64(at + 9);
                Reported += row.Int64(at + 10);
            }

            var min = row.Int64(at + 11);
            var max = row.Int64(at + 12);
            MinTs = existed ? Math.Min(MinTs, min) : min;
            MaxTs = existed ? Math.Max(MaxTs, max) : max;
        }

        /// <summary><paramref name="dimensions"/> with these sums as its figures.</summary>
        public readonly AggregateRow Fill(AggregateRow dimensions) => dimensions with
        {
            Tokens = new TokenCounts(Input, Output, Cw5m, Cw1h, CacheRead),
            WebSearchRequests = WebSearch,
            Calls = Calls,
            CostUsd = FromUnits(Cost),
            UnpricedCalls = Unpriced,
            LongContextCalls = Long,
            ReportedCostCalls = Reported,
            FirstSeen = DateTimeOffset.FromUnixTimeMilliseconds(MinTs),
            LastSeen = DateTimeOffset.FromUnixTimeMilliseconds(MaxTs),
        };
    }

    /// <summary>Rows grouped by the comma-separated tool list a call asked for, re-summed per single tool (a call with
    /// several tools counts in each of their rows; calls with none keep a null tool).</summary>
    private static List<AggregateRow> SplitTools(List<AggregateRow> rows)
    {
        var sums = new Dictionary<(string? Tool, DateTimeOffset? Bucket, string? Model, string? Session, string? Project, string? Agent), AggregateRow>();
        foreach (var row in rows)
        {
            var tools = string.IsNullOrEmpty(row.Tool) ? [null] : row.Tool.Split(',', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).Select(static t => (string?)t).ToArray();
            foreach (var tool in tools)
            {
                var key = (tool, row.Bucket, row.Model, row.SessionId, row.Project, row.AgentId);
                sums[key] = sums.TryGetValue(key, out var sum) ? Add(sum, row) : row with { Tool = tool };
            }
        }

        return [.. sums.Values];
    }

    private static AggregateRow Add(AggregateRow a, AggregateRow b) => a with
    {
        Tokens = a.Tokens + b.Tokens,
        WebSearchRequests = a.WebSearchRequests + b.WebSearchRequests,
        Calls = a.Calls + b.Calls,
        CostUsd = a.CostUsd + b.CostUsd,
        UnpricedCalls = a.UnpricedCalls + b.UnpricedCalls,
        LongContextCalls = a.LongContextCalls + b.LongContextCalls,
        ReportedCostCalls = a.ReportedCostCalls + b.ReportedCostCalls,
        FirstSeen = a.FirstSeen < b.FirstSeen ? a.FirstSeen : b.FirstSeen,
        LastSeen = a.LastSeen > b.LastSeen ? a.LastSeen : b.LastSeen,
    };
}
