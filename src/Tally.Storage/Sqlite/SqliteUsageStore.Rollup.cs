using Microsoft.Data.Sqlite;

namespace Tally.Storage.Sqlite;

public sealed partial class SqliteUsageStore
{
    private const string RefreshSql = """
        DELETE FROM rollup WHERE bucket IN (SELECT bucket FROM dirty);
        INSERT INTO rollup (bucket, model, session_id, project, agent_id, catalog, calls, input, output, cw5m, cw1h, cache_read,
            web_search, cost, cost_auto, cost_reported, reported_calls, unpriced_calls, long_calls, min_ts, max_ts)
        SELECT d.bucket, r.model, COALESCE(r.session_id, ''), COALESCE(r.project, ''), COALESCE(r.agent_id, ''), r.catalog,
            COUNT(*), SUM(r.input), SUM(r.output), SUM(r.cw5m), SUM(r.cw1h), SUM(r.cache_read), SUM(r.web_search),
            SUM(r.cost), SUM(COALESCE(r.reported_cost, r.cost)), SUM(COALESCE(r.reported_cost, 0)),
            SUM(r.reported_cost IS NOT NULL), SUM(r.price_status = 1), SUM(r.long_context), MIN(r.ts), MAX(r.ts)
        FROM (SELECT DISTINCT bucket FROM dirty) d JOIN records r ON r.ts >= d.bucket * 900000 AND r.ts < (d.bucket + 1) * 900000
        GROUP BY d.bucket, r.model, r.session_id, r.project, r.agent_id, r.catalog;
        DELETE FROM dirty;
        """;

    /// <summary>
    /// Re-sums the rollup's dirty buckets from their records, so reads see exactly what the records say. Cheap when
    /// nothing changed (one indexed probe); runs in its own write transaction, so a crash leaves the buckets dirty
    /// for the next reader. Call with the gate held.
    /// </summary>
    private void RefreshRollup()
    {
        if (!AnyDirty(null))
        {
            return;
        }

        using var transaction = _connection.BeginTransaction(deferred: false);
        if (AnyDirty(transaction))
        {
            Execute(transaction, RefreshSql);
        }

        transaction.Commit();
    }

    private bool AnyDirty(SqliteTransaction? transaction)
    {
        using var command = Command(transaction, "SELECT EXISTS (SELECT 1 FROM dirty);");
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;
    }
}
