using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Tally.Core.Storage;
using Tally.Core.Usage;

namespace Tally.Storage.Sqlite;

public sealed partial class SqliteUsageStore
{
    private const long QuarterHourMs = 15 * 60 * 1000;

    /// <inheritdoc />
    public async Task<IReadOnlyList<AggregateRow>> AggregateAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Models is { Count: 0 } || query.Projects is { Count: 0 })
        {
            return [];
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = _connection.CreateCommand();
            var dimensions = new List<string>();
            if (query.GroupBy.HasFlag(GroupBy.QuarterHour))
            {
                dimensions.Add($"(ts / {QuarterHourMs})");
            }

            AddDimension(query, GroupBy.Model, "model", dimensions);
            AddDimension(query, GroupBy.Session, "session_id", dimensions);
            AddDimension(query, GroupBy.Project, "project", dimensions);
            AddDimension(query, GroupBy.Agent, "agent_id", dimensions);

            var cost = query.CostMode switch
            {
                CostMode.Calculate => "cost",
                CostMode.Display => "COALESCE(reported_cost, 0)",
                _ => "COALESCE(reported_cost, cost)",
            };
            var reported = query.CostMode == CostMode.Calculate ? "0" : "reported_cost IS NOT NULL";

            var sql = new StringBuilder("SELECT ");
            foreach (var dimension in dimensions)
            {
                sql.Append(dimension).Append(", ");
            }

            sql.Append(CultureInfo.InvariantCulture, $"""
                SUM(input), SUM(output), SUM(cw5m), SUM(cw1h), SUM(cache_read), SUM(web_search), COUNT(*),
                SUM({cost}), SUM(price_status = 1), SUM(long_context), SUM({reported}), MIN(ts), MAX(ts)
                FROM records WHERE 1 = 1
                """);
            Filter(command, sql, query);
            if (dimensions.Count > 0)
            {
                sql.Append(" GROUP BY ").AppendJoin(", ", dimensions);
            }

            command.CommandText = sql.ToString();
            using var reader = command.ExecuteReader();
            var rows = new List<AggregateRow>();
            while (reader.Read())
            {
                if (reader.IsDBNull(dimensions.Count))
                {
                    continue; // an aggregate over no rows
                }

                rows.Add(ReadRow(reader, query.GroupBy));
            }

            return rows;
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
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT model, MAX(price_status = 1) FROM records GROUP BY model ORDER BY model;";
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

    private static void AddDimension(UsageQuery query, GroupBy flag, string column, List<string> dimensions)
    {
        if (query.GroupBy.HasFlag(flag))
        {
            dimensions.Add(column);
        }
    }

    private static void Filter(SqliteCommand command, StringBuilder sql, UsageQuery query)
    {
        if (query.From is { } from)
        {
            sql.Append(" AND ts >= $from");
            command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        }

        if (query.Until is { } until)
        {
            sql.Append(" AND ts < $until");
            command.Parameters.AddWithValue("$until", until.ToUnixTimeMilliseconds());
        }

        if (query.SessionId is { } session)
        {
            sql.Append(" AND session_id = $session");
            command.Parameters.AddWithValue("$session", session);
        }

        In(command, sql, "model", "$m", query.Models);
        In(command, sql, "project", "$p", query.Projects);
    }

    private static void In(SqliteCommand command, StringBuilder sql, string column, string prefix, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }

        sql.Append(CultureInfo.InvariantCulture, $" AND {column} IN (");
        for (var i = 0; i < values.Count; i++)
        {
            sql.Append(i == 0 ? string.Empty : ", ").Append(prefix).Append(i);
            command.Parameters.AddWithValue(prefix + i.ToString(CultureInfo.InvariantCulture), values[i]);
        }

        sql.Append(')');
    }

    private static AggregateRow ReadRow(SqliteDataReader reader, GroupBy groupBy)
    {
        var at = 0;
        DateTimeOffset? bucket = groupBy.HasFlag(GroupBy.QuarterHour) ? DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(at++) * QuarterHourMs) : null;
        var model = groupBy.HasFlag(GroupBy.Model) ? NullableString(reader, at++) : null;
        var session = groupBy.HasFlag(GroupBy.Session) ? NullableString(reader, at++) : null;
        var project = groupBy.HasFlag(GroupBy.Project) ? NullableString(reader, at++) : null;
        var agent = groupBy.HasFlag(GroupBy.Agent) ? NullableString(reader, at++) : null;
        return new AggregateRow
        {
            Bucket = bucket,
            Model = model,
            SessionId = session,
            Project = project,
            AgentId = agent,
            Tokens = new TokenCounts(reader.GetInt64(at), reader.GetInt64(at + 1), reader.GetInt64(at + 2), reader.GetInt64(at + 3), reader.GetInt64(at + 4)),
            WebSearchRequests = reader.GetInt64(at + 5),
            Calls = reader.GetInt64(at + 6),
            CostUsd = FromUnits(reader.GetInt64(at + 7)),
            UnpricedCalls = reader.GetInt64(at + 8),
            LongContextCalls = reader.GetInt64(at + 9),
            ReportedCostCalls = reader.GetInt64(at + 10),
            FirstSeen = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(at + 11)),
            LastSeen = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(at + 12)),
        };
    }

    private static string? NullableString(SqliteDataReader reader, int at) => reader.IsDBNull(at) ? null : reader.GetString(at);
}
