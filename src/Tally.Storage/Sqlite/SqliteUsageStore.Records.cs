using Microsoft.Data.Sqlite;
using Tally.Core.Usage;

namespace Tally.Storage.Sqlite;

public sealed partial class SqliteUsageStore
{
    private void UpsertRecords(SqliteTransaction transaction, long fileId, IReadOnlyList<UsageRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        using var command = Command(transaction, UpsertSql);
        var p = new Dictionary<string, SqliteParameter>(StringComparer.Ordinal);
        foreach (var name in RecordColumns.Concat(["key", "rank", "ts"]))
        {
            p[name] = command.Parameters.Add("$" + name, SqliteType.Text);
        }

        command.Prepare();
        foreach (var r in records)
        {
            var quote = r.Price ?? throw new InvalidOperationException($"record {r.Key} was not priced before it was stored");
            var ts = r.Timestamp.ToUnixTimeMilliseconds();
            p["key"].Value = r.Key;
            p["rank"].Value = RecordRank.Of(r);
            p["ts"].Value = ts;
            p["seen_ts"].Value = ts;
            p["message_id"].Value = (object?)r.MessageId ?? DBNull.Value;
            p["request_id"].Value = (object?)r.RequestId ?? DBNull.Value;
            p["uuid"].Value = (object?)r.Uuid ?? DBNull.Value;
            p["session_id"].Value = (object?)r.SessionId ?? DBNull.Value;
            p["agent_id"].Value = (object?)r.AgentId ?? DBNull.Value;
            p["is_sidechain"].Value = r.IsSidechain ? 1 : 0;
            p["cwd"].Value = (object?)r.Cwd ?? DBNull.Value;
            p["project"].Value = (object?)r.Project ?? DBNull.Value;
            p["git_branch"].Value = (object?)r.GitBranch ?? DBNull.Value;
            p["model"].Value = r.Model;
            p["input"].Value = r.Tokens.Input;
            p["output"].Value = r.Tokens.Output;
            p["cw5m"].Value = r.Tokens.CacheWrite5m;
            p["cw1h"].Value = r.Tokens.CacheWrite1h;
            p["cache_read"].Value = r.Tokens.CacheRead;
            p["split_missing"].Value = r.CacheSplitMissing ? 1 : 0;
            p["web_search"].Value = r.WebSearchRequests;
            p["web_fetch"].Value = r.WebFetchRequests;
            p["service_tier"].Value = (object?)r.ServiceTier ?? DBNull.Value;
            p["speed"].Value = (object?)r.Speed ?? DBNull.Value;
            p["geo"].Value = (object?)r.InferenceGeo ?? DBNull.Value;
            p["reported_cost"].Value = r.ReportedCostUsd is { } reported ? ToUnits(reported) : DBNull.Value;
            p["cost"].Value = ToUnits(quote.CostUsd);
            p["price_status"].Value = (int)quote.Status;
            p["long_context"].Value = quote.LongContext ? 1 : 0;
            p["catalog"].Value = CatalogId(transaction, quote.CatalogVersion);
            p["tools"].Value = r.Tools.Count == 0 ? DBNull.Value : string.Join(',', r.Tools);
            p["client_version"].Value = (object?)r.ClientVersion ?? DBNull.Value;
            p["file_id"].Value = fileId;
            p["line"].Value = r.SourceLine;
            command.ExecuteNonQuery();
        }
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
}
