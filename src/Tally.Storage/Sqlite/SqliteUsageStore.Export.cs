using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Tally.Core.Agents;
using Tally.Core.Pricing;
using Tally.Core.Storage;
using Tally.Core.Usage;

namespace Tally.Storage.Sqlite;

public sealed partial class SqliteUsageStore
{
    private const string RecordSelect = """
        SELECT r.key, r.rank, r.ts, r.message_id, r.request_id, r.uuid, r.session_id, r.agent_id, r.is_sidechain, r.cwd,
            r.project, r.git_branch, r.model, r.input, r.output, r.cw5m, r.cw1h, r.cache_read, r.split_missing,
            r.web_search, r.web_fetch, r.service_tier, r.speed, r.geo, r.reported_cost, r.cost, r.price_status,
            r.long_context, c.version, r.tools, r.client_version, f.path, r.line,
            r.proxy_agent, r.billing, r.account, r.http_status, r.outcome, r.latency_ms, r.ttft_ms, r.key_fallback, r.source
        FROM records r LEFT JOIN catalogs c ON c.id = r.catalog LEFT JOIN files f ON f.id = r.file_id
        WHERE 1 = 1
        """;

    /// <inheritdoc />
    /// <remarks>
    /// One SELECT in time order, walked by the time index (no sort, so nothing is buffered), on a connection opened for
    /// the enumeration and closed when it ends: the statement is one read transaction, a consistent snapshot, and
    /// another process may sync meanwhile (WAL).
    /// </remarks>
    public async IAsyncEnumerable<UsageRecord> ReadRecordsAsync(UsageQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (SelectsNothing(query))
        {
            yield break;
        }

        await Task.Yield();
        var parameters = new List<object>();
        var sql = new StringBuilder(RecordSelect);
        Filter(parameters, sql, query, Source.Records);
        sql.Append(" ORDER BY r.ts, r.id;");
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 60,
        }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 60000;");
        using var statement = Prepare(connection, sql.ToString(), parameters);
        while (statement.Step())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return ReadRecord(statement);
        }
    }

    private static UsageRecord ReadRecord(RawStatement row)
    {
        var rank = row.Text(1);
        var tools = row.TextOrNull(29);
        return new UsageRecord
        {
            Key = row.Text(0),
            ContentHash = rank.Length == RecordRank.Length ? ulong.Parse(rank.AsSpan(33, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) : 0,
            Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(row.Int64(2)),
            MessageId = row.TextOrNull(3),
            RequestId = row.TextOrNull(4),
            Uuid = row.TextOrNull(5),
            SessionId = row.TextOrNull(6),
            AgentId = row.TextOrNull(7),
            IsSidechain = row.Int64(8) != 0,
            Cwd = row.TextOrNull(9),
            Project = row.TextOrNull(10),
            GitBranch = row.TextOrNull(11),
            Model = row.Text(12),
            Tokens = new TokenCounts(row.Int64(13), row.Int64(14), row.Int64(15), row.Int64(16), row.Int64(17)),
            CacheSplitMissing = row.Int64(18) != 0,
            WebSearchRequests = (int)row.Int64(19),
            WebFetchRequests = (int)row.Int64(20),
            ServiceTier = row.TextOrNull(21),
            Speed = row.TextOrNull(22),
            InferenceGeo = row.TextOrNull(23),
            ReportedCostUsd = row.IsNull(24) ? null : FromUnits(row.Int64(24)),
            Price = new PriceQuote(FromUnits(row.Int64(25)), (PriceStatus)row.Int64(26), CatalogModel: null, row.Int64(27) != 0, row.TextOrNull(28) ?? string.Empty),
            Tools = tools is null ? [] : tools.Split(','),
            ClientVersion = row.TextOrNull(30),
            SourceFile = row.TextOrNull(31),
            SourceLine = row.IsNull(32) ? 0 : row.Int64(32),
            Source = (UsageSource)row.Int64(41),
            Proxy = row.IsNull(36) ? null : new ProxyCall
            {
                Agent = row.TextOrNull(33),
                Billing = row.IsNull(34) ? BillingSource.Unknown : (BillingSource)row.Int64(34),
                Account = row.TextOrNull(35),
                Status = (int)row.Int64(36),
                Outcome = row.TextOrNull(37) ?? "ok",
                LatencyMs = row.IsNull(38) ? 0 : row.Int64(38),
                TimeToFirstTokenMs = row.IsNull(39) ? null : row.Int64(39),
                ApiKeyFallback = !row.IsNull(40) && row.Int64(40) != 0,
            },
        };
    }
}
