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
        DateTimeOffset? bucket = groupBy.HasFlag(GroupBy.QuarterHour) ? BucketStart(row.Int64(at++), query) : null;
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
        var sums = default(GroupSums);
        sums.Add(row, at, existed: false);
        return sums.Fill(new AggregateRow
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
        });
    }

    /// <summary>When a time group starts: <paramref name="group"/> counts groups of the query's quarter hours, shifted.</summary>
    private static DateTimeOffset BucketStart(long group, UsageQuery query) =>
        DateTimeOffset.FromUnixTimeMilliseconds(((group * Math.Max(1, query.BucketQuarters)) - query.BucketShiftQuarters) * SqliteSchema.BucketMs);

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
