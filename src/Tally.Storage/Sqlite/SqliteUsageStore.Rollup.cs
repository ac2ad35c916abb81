using Microsoft.Data.Sqlite;

namespace Tally.Storage.Sqlite;

public sealed partial class SqliteUsageStore
{
    private const string Sums = """
        COUNT(*), SUM(r.input), SUM(r.output), SUM(r.cw5m), SUM(r.cw1h), SUM(r.cache_read), SUM(r.web_search),
        SUM(r.cost), SUM(COALESCE(r.reported_cost, r.cost)), SUM(COALESCE(r.reported_cost, 0)),
        SUM(r.reported_cost IS NOT NULL), SUM(r.price_status = 1), SUM(r.long_context), MIN(r.ts), MAX(r.ts)
        """;

    private const string RollupColumns = """
        bucket, model, session_id, project, agent_id, catalog, calls, input, output, cw5m, cw1h, cache_read,
        web_search, cost, cost_auto, cost_reported, reported_calls, unpriced_calls, long_calls, min_ts, max_ts
        """;

    /// <summary>A few dirty buckets: each is read through the time index.</summary>
    private const string ToolsRollupColumns = """
        bucket, tools, model, project, catalog, calls, input, output, cw5m, cw1h, cache_read,
        web_search, cost, cost_auto, cost_reported, reported_calls, unpriced_calls, long_calls, min_ts, max_ts
        """;

    private const string RefreshFewSql = $"""
        DELETE FROM rollup WHERE bucket IN (SELECT bucket FROM dirty);
        INSERT INTO rollup ({RollupColumns})
        SELECT d.bucket, r.model, COALESCE(r.session_id, ''), COALESCE(r.project, ''), COALESCE(r.agent_id, ''), r.catalog, {Sums}
        FROM (SELECT DISTINCT bucket FROM dirty) d JOIN records r ON r.ts >= d.bucket * 900000 AND r.ts < (d.bucket + 1) * 900000
        GROUP BY d.bucket, r.model, COALESCE(r.session_id, ''), COALESCE(r.project, ''), COALESCE(r.agent_id, ''), r.catalog;
        DELETE FROM rollup_tools WHERE bucket IN (SELECT bucket FROM dirty);
        INSERT INTO rollup_tools ({ToolsRollupColumns})
        SELECT d.bucket, COALESCE(r.tools, ''), r.model, COALESCE(r.project, ''), r.catalog, {Sums}
        FROM (SELECT DISTINCT bucket FROM dirty) d JOIN records r ON r.ts >= d.bucket * 900000 AND r.ts < (d.bucket + 1) * 900000
        GROUP BY d.bucket, COALESCE(r.tools, ''), r.model, COALESCE(r.project, ''), r.catalog;
        DELETE FROM dirty;
        """;

    /// <summary>Up to this many dirty buckets are re-summed through the time index; more take one pass over the records.</summary>
    internal int FewDirtyBuckets { get; set; } = 64;

    /// <summary>
    /// Re-sums the rollup's dirty buckets from their records, so reads see exactly what the records say. Cheap when
    /// nothing changed (one indexed probe); runs in its own write transaction, so a crash leaves the buckets dirty
    /// for the next reader. Call with the gate held.
    /// </summary>
    private void RefreshRollup()
    {
        if (!AnyDirty())
        {
            return;
        }

        using var transaction = _connection.BeginTransaction(deferred: false);
        using var count = Command(transaction, "SELECT COUNT(*) FROM dirty;");
        var dirty = Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (dirty > 0)
        {
            if (dirty <= FewDirtyBuckets)
            {
                Execute(transaction, RefreshFewSql);
            }
            else
            {
                RefreshMany();
            }
        }

        transaction.Commit();
    }

    private bool AnyDirty()
    {
        using var command = Command(null, "SELECT EXISTS (SELECT 1 FROM dirty);");
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;
    }
}
