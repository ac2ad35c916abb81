using System.Globalization;
using System.Text;
using Tally.Core.Storage;
using Tally.Core.Usage;

namespace Tally.Storage.Sqlite;

public sealed partial class SqliteUsageStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<AggregateRow>> AggregateAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (SelectsNothing(query))
        {
            return [];
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            RefreshRollup();
            var parameters = new List<object>();
            var byTool = query.GroupBy.HasFlag(GroupBy.Tool);
            var source = SourceFor(query);
            var dimensions = new List<string>();
            if (query.GroupBy.HasFlag(GroupBy.QuarterHour))
            {
                dimensions.Add(query.BucketQuarters == 1 && query.BucketShiftQuarters == 0
                    ? source.Bucket
                    : string.Create(CultureInfo.InvariantCulture, $"(({source.Bucket} + {query.BucketShiftQuarters}) / {Math.Max(1, query.BucketQuarters)})"));
            }

            AddDimension(query, GroupBy.Model, "model", dimensions);
            AddDimension(query, GroupBy.Session, "session_id", dimensions);
            AddDimension(query, GroupBy.Project, "project", dimensions);
            AddDimension(query, GroupBy.Agent, "agent_id", dimensions);
            AddDimension(query, GroupBy.Directory, "cwd", dimensions);
            AddDimension(query, GroupBy.Tool, "tools", dimensions);
            AddDimension(query, GroupBy.ProxyAgent, "proxy_agent", dimensions);
            AddDimension(query, GroupBy.ProxyAgent, "billing", dimensions);

            var sql = new StringBuilder("SELECT ");
            foreach (var dimension in dimensions)
            {
                sql.Append(source.Select(dimension)).Append(", ");
            }

            if (source.IsRollup && GroupInMemory(query))
            {
                // The rollup's rows in range are few (12k for a month of heavy use) and already summed per quarter hour:
                // they are grouped here. SQLite's GROUP BY sorted them and ran thirteen aggregate functions per row,
                // 15x the time of reading them (33-49 ms against 2-3 ms for a month).
                sql.Append(Source.Values(query.CostMode)).Append(" FROM ").Append(source.Table).Append(" WHERE 1 = 1");
                Filter(parameters, sql, query, source);
                using var scan = Prepare(sql.ToString(), parameters);
                var grouped = GroupRollupRows(scan, query, dimensions.Count);
                return byTool ? SplitTools(grouped) : grouped;
            }

            sql.Append(source.Sums(query.CostMode)).Append(" FROM ").Append(source.Table).Append(" WHERE 1 = 1");
            Filter(parameters, sql, query, source);
            if (dimensions.Count > 0)
            {
                sql.Append(" GROUP BY ").AppendJoin(", ", dimensions);
            }

            // Read through SQLite's own API: ADO.NET's per-column cost was most of a warm report's time.
            using var statement = Prepare(sql.ToString(), parameters);

            var rows = new List<AggregateRow>();
            while (statement.Step())
            {
                if (statement.IsNull(dimensions.Count))
                {
                    continue; // an aggregate over no rows
                }

                rows.Add(ReadRow(statement, query));
            }

            return byTool ? SplitTools(rows) : rows;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(string Model, bool Unpriced)>> ModelsAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            RefreshRollup();
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT model, MAX(unpriced_calls > 0) FROM rollup GROUP BY model ORDER BY model;";
            using var reader = command.ExecuteReader();
            var models = new List<(string, bool)>();
            while (reader.Read())
            {
                models.Add((reader.GetString(0), reader.GetInt64(1) != 0));
            }

            return models;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<long> CountProblemsAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = Command(null, "SELECT COUNT(*) FROM problems;");
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IngestProblem>> ProblemsAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT f.path, p.line, p.reason FROM problems p JOIN files f ON f.id = p.file_id ORDER BY f.path, p.line;";
            using var reader = command.ExecuteReader();
            var problems = new List<IngestProblem>();
            while (reader.Read())
            {
                problems.Add(new IngestProblem(reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
            }

            return problems;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<long> ChangeStampAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // SQLite's own counter: it moves when another connection commits to the file (this one's commits, such as a
            // rollup refresh, leave it alone), and costs no I/O beyond the WAL index.
            using var statement = new RawStatement(_connection, "PRAGMA data_version;");
            return statement.Step() ? statement.Int64(0) : 0;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>True when the query's filters admit no record this index can hold: an empty model or project list, only
    /// sources the index holds no record of, or an execution mode other than the hosted models' (every record's).</summary>
    private static bool SelectsNothing(UsageQuery query) =>
        query.Models is { Count: 0 } || query.Projects is { Count: 0 } || !IndexedSources.Any(s => query.Admits(s, IndexedMode));

    /// <summary>The condition on the records' <c>source</c> column the query's source filter needs: null when it admits
    /// every source the index holds (no row is left out, the rollup can answer).</summary>
    private static string? SourceCondition(UsageQuery query)
    {
        if (query.Sources is not { } sources)
        {
            return null;
        }

        var admitted = IndexedSources.Where(sources.Contains).ToList();
        return admitted.Count == IndexedSources.Count
            ? null
            : "source IN (" + string.Join(", ", admitted.Select(static s => ((int)s).ToString(CultureInfo.InvariantCulture))) + ")";
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

    /// <summary>
    /// Where a query is answered from: bounds on quarter hours read a rollup — the tools rollup when grouped by tool
    /// (it has no session, agent or directory), the main one otherwise (it has no directory and no tools) — and
    /// anything else reads the records through the time index.
    /// </summary>
    private static Source SourceFor(UsageQuery query)
    {
        // Neither rollup has a working directory, a proxy agent or a source: a query by any of them, or one that keeps
        // only some sources' records, reads the records (the unfiltered path, the usual one, keeps the rollups).
        if (!Aligned(query.From) || !Aligned(query.Until) || query.GroupBy.HasFlag(GroupBy.Directory) || query.GroupBy.HasFlag(GroupBy.ProxyAgent)
            || SourceCondition(query) is not null)
        {
            return Source.Records;
        }

        if (!query.GroupBy.HasFlag(GroupBy.Tool))
        {
            return Source.Rollup;
        }

        return query.GroupBy.HasFlag(GroupBy.Session) || query.GroupBy.HasFlag(GroupBy.Agent) || query.SessionId is not null
            ? Source.Records
            : Source.ToolsRollup;
    }

    private static bool Aligned(DateTimeOffset? bound) => bound is not { } b || b.ToUnixTimeMilliseconds() % SqliteSchema.BucketMs == 0;

    private static void AddDimension(UsageQuery query, GroupBy flag, string column, List<string> dimensions)
    {
        if (query.GroupBy.HasFlag(flag))
        {
            dimensions.Add(column);
        }
    }

    /// <summary>A raw statement on the store's connection with the filter's parameters bound in order.</summary>
    private RawStatement Prepare(string sql, List<object> parameters) => Prepare(_connection, sql, parameters);

    private static RawStatement Prepare(Microsoft.Data.Sqlite.SqliteConnection connection, string sql, List<object> parameters)
    {
        var statement = new RawStatement(connection, sql);
        try
        {
            for (var i = 0; i < parameters.Count; i++)
            {
                if (parameters[i] is long number)
                {
                    statement.Bind(i + 1, number);
                }
                else
                {
                    statement.Bind(i + 1, Convert.ToString(parameters[i], CultureInfo.InvariantCulture));
                }
            }

            return statement;
        }
        catch
        {
            statement.Dispose();
            throw;
        }
    }

    private static void Filter(List<object> parameters, StringBuilder sql, UsageQuery query, Source source)
    {
        if (query.From is { } from)
        {
            parameters.Add(source.TimeValue(from));
            sql.Append(CultureInfo.InvariantCulture, $" AND {source.Time} >= ?{parameters.Count}");
        }

        if (query.Until is { } until)
        {
            parameters.Add(source.TimeValue(until));
            sql.Append(CultureInfo.InvariantCulture, $" AND {source.Time} < ?{parameters.Count}");
        }

        if (query.SessionId is { } session)
        {
            parameters.Add(session);
            sql.Append(CultureInfo.InvariantCulture, $" AND session_id = ?{parameters.Count}");
        }

        In(parameters, sql, "model", query.Models);
        In(parameters, sql, "project", query.Projects);
        if (SourceCondition(query) is { } sourceCondition)
        {
            if (source.IsRollup)
            {
                throw new InvalidOperationException("the rollup has no source: a query by source reads the records");
            }

            sql.Append(" AND ").Append(sourceCondition);
        }
    }

    private static void In(List<object> parameters, StringBuilder sql, string column, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }

        sql.Append(CultureInfo.InvariantCulture, $" AND {column} IN (");
        for (var i = 0; i < values.Count; i++)
        {
            parameters.Add(values[i]);
            sql.Append(i == 0 ? string.Empty : ", ").Append('?').Append(parameters.Count);
        }

        sql.Append(')');
    }

    private static AggregateRow ReadRow(RawStatement row, UsageQuery query)
    {
        var at = 0;
        var groupBy = query.GroupBy;
        DateTimeOffset? bucket = groupBy.HasFlag(GroupBy.QuarterHour)
            ? DateTimeOffset.FromUnixTimeMilliseconds(((row.Int64(at++) * Math.Max(1, query.BucketQuarters)) - query.BucketShiftQuarters) * SqliteSchema.BucketMs)
            : null;
        var model = groupBy.HasFlag(GroupBy.Model) ? row.TextOrNull(at++) : null;
        var session = groupBy.HasFlag(GroupBy.Session) ? row.TextOrNull(at++) : null;
        var project = groupBy.HasFlag(GroupBy.Project) ? row.TextOrNull(at++) : null;
        var agent = groupBy.HasFlag(GroupBy.Agent) ? row.TextOrNull(at++) : null;
        var directory = groupBy.HasFlag(GroupBy.Directory) ? row.TextOrNull(at++) : null;
        var tools = groupBy.HasFlag(GroupBy.Tool) ? row.TextOrNull(at++) : null;
        var proxyAgent = groupBy.HasFlag(GroupBy.ProxyAgent) ? row.TextOrNull(at++) : null;
        Tally.Core.Agents.BillingSource? billing = null;
        if (groupBy.HasFlag(GroupBy.ProxyAgent))
        {
            billing = row.IsNull(at) ? null : (Tally.Core.Agents.BillingSource)row.Int64(at);
            at++;
        }
        return new AggregateRow
        {
            Tool = tools,
            Bucket = bucket,
            Model = model,
            SessionId = session,
            Project = project,
            AgentId = agent,
            Directory = directory,
            ProxyAgent = proxyAgent,
            Billing = billing,
            Tokens = new TokenCounts(row.Int64(at), row.Int64(at + 1), row.Int64(at + 2), row.Int64(at + 3), row.Int64(at + 4)),
            WebSearchRequests = row.Int64(at + 5),
            Calls = row.Int64(at + 6),
            CostUsd = FromUnits(row.Int64(at + 7)),
            UnpricedCalls = row.Int64(at + 8),
            LongContextCalls = row.Int64(at + 9),
            ReportedCostCalls = row.Int64(at + 10),
            FirstSeen = DateTimeOffset.FromUnixTimeMilliseconds(row.Int64(at + 11)),
            LastSeen = DateTimeOffset.FromUnixTimeMilliseconds(row.Int64(at + 12)),
        };
    }

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
        return new AggregateRow
        {
            Tool = tools,
            Bucket = groupBy.HasFlag(GroupBy.QuarterHour)
                ? DateTimeOffset.FromUnixTimeMilliseconds(((key.Bucket * Math.Max(1, query.BucketQuarters)) - query.BucketShiftQuarters) * SqliteSchema.BucketMs)
                : null,
            Model = model,
            SessionId = session,
            Project = project,
            AgentId = agent,
            Tokens = new TokenCounts(sums.Input, sums.Output, sums.Cw5m, sums.Cw1h, sums.CacheRead),
            WebSearchRequests = sums.WebSearch,
            Calls = sums.Calls,
            CostUsd = FromUnits(sums.Cost),
            UnpricedCalls = sums.Unpriced,
            LongContextCalls = sums.Long,
            ReportedCostCalls = sums.Reported,
            FirstSeen = DateTimeOffset.FromUnixTimeMilliseconds(sums.MinTs),
            LastSeen = DateTimeOffset.FromUnixTimeMilliseconds(sums.MaxTs),
        };
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

    /// <summary>A group's running sums (SQLite's SUM raised an error on overflow; so does this).</summary>
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
    }

    /// <summary>Where an aggregate reads from: the rollup (bounds on quarter hours, the usual case) or the records.</summary>
    private sealed record Source(string Table, string Bucket, string Time, bool IsRollup)
    {
        public static readonly Source Rollup = new("rollup", "bucket", "bucket", IsRollup: true);
        public static readonly Source ToolsRollup = new("rollup_tools", "bucket", "bucket", IsRollup: true);
        public static readonly Source Records = new("records", "(ts / 900000)", "ts", IsRollup: false);

        /// <summary>A dimension as selected: the rollup stores a null text as '' (it is a key column), records store null.
        /// Grouping is by the plain column, so an index on it can give the groups' order.</summary>
        public string Select(string dimension) =>
            IsRollup && dimension is "session_id" or "project" or "agent_id" or "tools" ? $"NULLIF({dimension}, '')" : dimension;

        public long TimeValue(DateTimeOffset bound) => IsRollup ? bound.ToUnixTimeMilliseconds() / SqliteSchema.BucketMs : bound.ToUnixTimeMilliseconds();

        /// <summary>A rollup row's values, in the order of <see cref="Sums"/>, for grouping outside SQLite.</summary>
        public static string Values(CostMode mode) => $"""
            input, output, cw5m, cw1h, cache_read, web_search, calls,
            {mode switch { CostMode.Calculate => "cost", CostMode.Display => "cost_reported", _ => "cost_auto" }},
            unpriced_calls, long_calls, {(mode == CostMode.Calculate ? "0" : "reported_calls")}, min_ts, max_ts
            """;

        public string Sums(CostMode mode) => IsRollup
            ? $"""
              SUM(input), SUM(output), SUM(cw5m), SUM(cw1h), SUM(cache_read), SUM(web_search), SUM(calls),
              SUM({mode switch { CostMode.Calculate => "cost", CostMode.Display => "cost_reported", _ => "cost_auto" }}),
              SUM(unpriced_calls), SUM(long_calls), {(mode == CostMode.Calculate ? "0" : "SUM(reported_calls)")}, MIN(min_ts), MAX(max_ts)
              """
            : $"""
              SUM(input), SUM(output), SUM(cw5m), SUM(cw1h), SUM(cache_read), SUM(web_search), COUNT(*),
              SUM({mode switch { CostMode.Calculate => "cost", CostMode.Display => "COALESCE(reported_cost, 0)", _ => "COALESCE(reported_cost, cost)" }}),
              SUM(price_status = 1), SUM(long_context), {(mode == CostMode.Calculate ? "0" : "SUM(reported_cost IS NOT NULL)")}, MIN(ts), MAX(ts)
              """;
    }
}
