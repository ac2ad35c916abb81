using System.Text;
using Tally.Core.Storage;
using Tally.Core.Usage;

namespace Tally.Storage.Sqlite;

public sealed partial class SqliteUsageStore
{
    /// <inheritdoc />
    public async Task ScanRecordsAsync(UsageQuery query, Action<AggregateRow> visit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(visit);
        if (SelectsNothing(query))
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var cost = query.CostMode switch
            {
                CostMode.Calculate => "cost",
                CostMode.Display => "COALESCE(reported_cost, 0)",
                _ => "COALESCE(reported_cost, cost)",
            };
            var reported = query.CostMode == CostMode.Calculate ? "0" : "reported_cost IS NOT NULL";
            var sql = new StringBuilder($"""
                SELECT ts, model, session_id, project, agent_id, input, output, cw5m, cw1h, cache_read, web_search, {cost},
                  price_status = 1, long_context, {reported}
                FROM records WHERE 1 = 1
                """);
            var parameters = new List<object>();
            Filter(parameters, sql, query, Source.Records);
            sql.Append(" ORDER BY ts");
            using var statement = Prepare(sql.ToString(), parameters);

            var rows = 0;
            while (statement.Step())
            {
                if ((++rows & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var ts = statement.Int64(0);
                var at = DateTimeOffset.FromUnixTimeMilliseconds(ts);
                visit(new AggregateRow
                {
                    Bucket = DateTimeOffset.FromUnixTimeMilliseconds(ts / SqliteSchema.BucketMs * SqliteSchema.BucketMs),
                    Model = statement.Text(1),
                    SessionId = statement.TextOrNull(2),
                    Project = statement.TextOrNull(3),
                    AgentId = statement.TextOrNull(4),
                    Tokens = new TokenCounts(statement.Int64(5), statement.Int64(6), statement.Int64(7), statement.Int64(8), statement.Int64(9)),
                    WebSearchRequests = statement.Int64(10),
                    Calls = 1,
                    CostUsd = FromUnits(statement.Int64(11)),
                    UnpricedCalls = statement.Int64(12),
                    LongContextCalls = statement.Int64(13),
                    ReportedCostCalls = statement.Int64(14),
                    FirstSeen = at,
                    LastSeen = at,
                });
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
