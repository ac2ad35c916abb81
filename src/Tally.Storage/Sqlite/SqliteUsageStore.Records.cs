using Microsoft.Data.Sqlite;
using Tally.Core.Storage;
using Tally.Core.Usage;

namespace Tally.Storage.Sqlite;

public sealed partial class SqliteUsageStore
{
    private void UpsertRecords(SqliteTransaction transaction, IngestStatements statements, long fileId, IngestBatch batch, RollupDelta delta)
    {
        if (batch.Records.Count == 0)
        {
            return;
        }

        var upsert = statements.Upsert;
        foreach (var (r, rank, earliest) in batch.Sightings ?? Sighting.BestOf(batch.Records))
        {
            var ts = earliest.ToUnixTimeMilliseconds();
            var bound = BindRecord(transaction, upsert, r, rank, ts, fileId, r.SourceLine);

            // A new row joins its rollup groups when the transaction commits. An existing row the upsert updated is
            // marked dirty by the records_updated trigger instead, with the bucket it may have left.
            if (statements.RunUpsert() is { } id && delta.IsNewRow(id))
            {
                delta.Add(ts, r.Model, r.SessionId, r.Project, r.AgentId, bound.Catalog, bound.Tools, bound.Figures);
            }
        }
    }

    internal static long ToUnits(decimal usd) => decimal.ToInt64(decimal.Round(usd * MoneyScale, MidpointRounding.AwayFromZero));

    internal static decimal FromUnits(long units) => units / MoneyScale;

    private long CatalogId(SqliteTransaction transaction, string version)
    {
        // Only ids known to be committed are cached (RepriceAsync commits the current version before a sync);
        // an id created inside this transaction is looked up again next time, in case this one rolls back.
        return _catalogIds.TryGetValue(version, out var id) ? id : AddCatalog(transaction, version);
    }

    /// <summary>The id of <paramref name="version"/>'s catalog row, added when missing (inside
    /// <paramref name="transaction"/> when one is given, committed at once otherwise).</summary>
    private long AddCatalog(SqliteTransaction? transaction, string version)
    {
        using (var insert = Command(transaction, "INSERT OR IGNORE INTO catalogs (version) VALUES ($v);", ("$v", version)))
        {
            insert.ExecuteNonQuery();
        }

        using var find = Command(transaction, "SELECT id FROM catalogs WHERE version = $v;", ("$v", version));
        return Convert.ToInt64(find.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Makes sure <paramref name="version"/> has a committed catalog id, and caches it, before a write transaction
    /// that prices with it begins (call it with no transaction open). Inside a transaction an id that is not cached yet
    /// cannot be cached (the transaction may roll back), so without this every record of a writer that never reprices
    /// (the metering proxy's) would look its catalog up twice. A catalog row that no record ends up using is harmless.
    /// </summary>
    private void KeepCatalogId(string? version)
    {
        if (version is null || _catalogIds.ContainsKey(version))
        {
            return;
        }

        _catalogIds[version] = AddCatalog(null, version);
    }

    /// <summary>Binds a record's columns to the upsert (parameters follow RecordColumns: key, rank, ts, …, file, line,
    /// seen_ts).</summary>
    private BoundRecord BindRecord(Microsoft.Data.Sqlite.SqliteTransaction transaction, RawStatement upsert, UsageRecord r, string rank, long ts, long? fileId, long? line)
    {
        var quote = r.Price ?? throw new InvalidOperationException($"record {r.Key} was not priced before it was stored");
        var reportedUnits = r.ReportedCostUsd is { } reported ? ToUnits(reported) : (long?)null;
        var cost = ToUnits(quote.CostUsd);
        var catalog = CatalogId(transaction, quote.CatalogVersion);
        var tools = r.Tools.Count == 0 ? null : string.Join(',', r.Tools);
        var i = 1;
        upsert.Bind(i++, r.Key);
        upsert.Bind(i++, rank);
        upsert.Bind(i++, ts);
        upsert.Bind(i++, r.MessageId);
        upsert.Bind(i++, r.RequestId);
        upsert.Bind(i++, r.Uuid);
        upsert.Bind(i++, r.SessionId);
        upsert.Bind(i++, r.AgentId);
        upsert.Bind(i++, r.IsSidechain ? 1 : 0);
        upsert.Bind(i++, r.Cwd);
        upsert.Bind(i++, r.Project);
        upsert.Bind(i++, r.GitBranch);
        upsert.Bind(i++, r.Model);
        upsert.Bind(i++, r.Tokens.Input);
        upsert.Bind(i++, r.Tokens.Output);
        upsert.Bind(i++, r.Tokens.CacheWrite5m);
        upsert.Bind(i++, r.Tokens.CacheWrite1h);
        upsert.Bind(i++, r.Tokens.CacheRead);
        upsert.Bind(i++, r.CacheSplitMissing ? 1 : 0);
        upsert.Bind(i++, r.WebSearchRequests);
        upsert.Bind(i++, r.WebFetchRequests);
        upsert.Bind(i++, r.ServiceTier);
        upsert.Bind(i++, r.Speed);
        upsert.Bind(i++, r.InferenceGeo);
        upsert.Bind(i++, reportedUnits);
        upsert.Bind(i++, cost);
        upsert.Bind(i++, (int)quote.Status);
        upsert.Bind(i++, quote.LongContext ? 1 : 0);
        upsert.Bind(i++, catalog);
        upsert.Bind(i++, tools);
        upsert.Bind(i++, r.ClientVersion);
        upsert.Bind(i++, fileId);
        upsert.Bind(i++, line);
        upsert.Bind(i++, r.Timestamp.ToUnixTimeMilliseconds()); // seen_ts
        var figures = new RollupFigures(r.Tokens.Input, r.Tokens.Output, r.Tokens.CacheWrite5m, r.Tokens.CacheWrite1h, r.Tokens.CacheRead,
            r.WebSearchRequests, cost, reportedUnits, quote.Status == Tally.Core.Pricing.PriceStatus.Unpriced, quote.LongContext);
        return new BoundRecord(i, catalog, tools, figures);
    }

    /// <summary>What <see cref="BindRecord"/> bound: the next parameter's number (the transcript writer stops there,
    /// the proxy binds its own columns after), and the values a rollup sums.</summary>
    private readonly record struct BoundRecord(int Next, long Catalog, string? Tools, RollupFigures Figures);
}
