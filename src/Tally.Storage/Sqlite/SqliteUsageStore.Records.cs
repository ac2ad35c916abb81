using Microsoft.Data.Sqlite;
using Tally.Core.Usage;

namespace Tally.Storage.Sqlite;

public sealed partial class SqliteUsageStore
{
    private void UpsertRecords(SqliteTransaction transaction, IngestStatements statements, long fileId, IReadOnlyList<UsageRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        var buckets = new HashSet<long>();
        var upsert = statements.Upsert;
        foreach (var (r, rank, earliest) in Merge(records))
        {
            var ts = earliest.ToUnixTimeMilliseconds();
            buckets.Add(ts / SqliteSchema.BucketMs);

            BindRecord(transaction, upsert, r, rank, ts, fileId, r.SourceLine);
            upsert.Execute();
        }

        // New rows mark their bucket dirty here (cheaper than a trigger on every insert); updated rows are marked by
        // the records_updated trigger, which also sees the bucket a row leaves when its time moves earlier.
        var dirty = statements.MarkDirty;
        foreach (var bucket in buckets)
        {
            dirty.Bind(1, bucket);
            dirty.Execute();
        }
    }

    /// <summary>
    /// The batch with each call once: its best sighting (<see cref="RecordRank"/>, whose string is built only for the
    /// winner) and the earliest time any sighting was made. A streamed response's lines usually sit in one batch, so
    /// this halves the rows written; the upsert applies the same rule across batches, files and processes.
    /// </summary>
    private static IEnumerable<(UsageRecord Record, string Rank, DateTimeOffset Earliest)> Merge(IReadOnlyList<UsageRecord> records)
    {
        var best = new Dictionary<string, (UsageRecord Record, DateTimeOffset Earliest)>(records.Count, StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (!best.TryGetValue(record.Key, out var seen))
            {
                best[record.Key] = (record, record.Timestamp);
                continue;
            }

            var earliest = record.Timestamp < seen.Earliest ? record.Timestamp : seen.Earliest;
            best[record.Key] = (RecordRank.Compare(record, seen.Record) > 0 ? record : seen.Record, earliest);
        }

        return best.Values.Select(static b => (b.Record, RecordRank.Of(b.Record), b.Earliest));
    }

    internal static long ToUnits(decimal usd) => decimal.ToInt64(decimal.Round(usd * MoneyScale, MidpointRounding.AwayFromZero));

    internal static decimal FromUnits(long units) => units / MoneyScale;

    private long CatalogId(SqliteTransaction transaction, string version)
    {
        // Only ids known to be committed are cached (RepriceAsync commits the current version before a sync);
        // an id created inside this transaction is looked up again next time, in case this one rolls back.
        if (_catalogIds.TryGetValue(version, out var id))
        {
            return id;
        }

        Execute(transaction, "INSERT OR IGNORE INTO catalogs (version) VALUES ($v);", ("$v", version));
        using var command = Command(transaction, "SELECT id FROM catalogs WHERE version = $v;", ("$v", version));
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Binds a record's columns to the upsert (parameters follow RecordColumns: key, rank, ts, …, file, line,
    /// seen_ts) and returns the next parameter's number: the transcript writer stops there, the proxy binds its own
    /// columns after.</summary>
    private int BindRecord(Microsoft.Data.Sqlite.SqliteTransaction transaction, RawStatement upsert, UsageRecord r, string rank, long ts, long? fileId, long? line)
    {
        var quote = r.Price ?? throw new InvalidOperationException($"record {r.Key} was not priced before it was stored");
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
        upsert.Bind(i++, r.ReportedCostUsd is { } reported ? ToUnits(reported) : null);
        upsert.Bind(i++, ToUnits(quote.CostUsd));
        upsert.Bind(i++, (int)quote.Status);
        upsert.Bind(i++, quote.LongContext ? 1 : 0);
        upsert.Bind(i++, CatalogId(transaction, quote.CatalogVersion));
        upsert.Bind(i++, r.Tools.Count == 0 ? null : string.Join(',', r.Tools));
        upsert.Bind(i++, r.ClientVersion);
        upsert.Bind(i++, fileId);
        upsert.Bind(i++, line);
        upsert.Bind(i++, r.Timestamp.ToUnixTimeMilliseconds()); // seen_ts
        return i;
    }
}
