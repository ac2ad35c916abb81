using Tally.Core.Limits;
using Tally.Core.Usage;

namespace Tally.Storage.Sqlite;

public sealed partial class SqliteUsageStore
{
    private static readonly string[] ProxyColumns = ["proxy_agent", "billing", "account", "http_status", "outcome", "latency_ms", "ttft_ms", "key_fallback"];

    /// <summary>Header signals older than this are dropped when new ones are recorded (every response repeats them).</summary>
    private static readonly TimeSpan HeaderSignalRetention = TimeSpan.FromDays(90);

    private static readonly string ProxyUpsertSql = BuildProxyUpsertSql();

    /// <summary>How many records the proxy's writer upserts between offers of its core to a waiting thread.</summary>
    private const int YieldEvery = 8;

    private const string UpsertHeaderSql = """
        INSERT INTO rate_limit_headers (account, name, value, status, observed_at) VALUES (?1, ?2, ?3, ?4, ?5)
        ON CONFLICT (account, name) DO UPDATE SET value = excluded.value, status = excluded.status, observed_at = excluded.observed_at
        WHERE excluded.observed_at >= rate_limit_headers.observed_at;
        """;

    /// <inheritdoc />
    public async Task RecordProxyAsync(IReadOnlyCollection<UsageRecord> records, IReadOnlyCollection<ObservedSignal> signals, IReadOnlyCollection<RateLimitHeader> headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(headers);
        if (records.Count == 0 && signals.Count == 0 && headers.Count == 0)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var statements = _proxyStatements ??= new ProxyStatements(_connection, ProxyUpsertSql, UpsertHeaderSql);
            foreach (var r in records)
            {
                KeepCatalogId(r.Price?.CatalogVersion);
            }

            using var transaction = _connection.BeginTransaction(deferred: false);
            if (records.Count > 0)
            {
                var buckets = new HashSet<long>();
                var written = 0;
                foreach (var r in records)
                {
                    BindProxyRecord(transaction, statements.Upsert, r);
                    statements.Upsert.Execute();
                    buckets.Add(r.Timestamp.ToUnixTimeMilliseconds() / SqliteSchema.BucketMs);
                    if (++written % YieldEvery == 0)
                    {
                        // Let a thread waiting for this core run (a request's, this process's or its client's): the
                        // scheduler often queues a woken thread behind the running one rather than on the idle core,
                        // and would make it wait for the whole batch. Costs one system call when nothing waits.
                        Thread.Yield();
                    }
                }

                foreach (var bucket in buckets)
                {
                    statements.Dirty.Bind(1, bucket);
                    statements.Dirty.Execute();
                }
            }

            if (signals.Count > 0)
            {
                foreach (var signal in signals)
                {
                    BindSignal(statements.UpsertSignal, signal);
                    statements.UpsertSignal.Execute();
                }

                var cutoff = signals.Max(static s => s.LatestObservation) - HeaderSignalRetention;
                statements.ExpireHeaderSignals.Bind(1, (long)SignalKind.Header);
                statements.ExpireHeaderSignals.Bind(2, cutoff.ToUnixTimeMilliseconds());
                statements.ExpireHeaderSignals.Execute();
            }

            foreach (var header in headers)
            {
                var upsert = statements.UpsertHeader;
                upsert.Bind(1, header.Account);
                upsert.Bind(2, header.Name);
                upsert.Bind(3, header.Value);
                upsert.Bind(4, header.Status);
                upsert.Bind(5, header.ObservedAt.ToUnixTimeMilliseconds());
                upsert.Execute();
            }

            transaction.Commit();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RateLimitHeader>> RateLimitHeadersAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var statement = new RawStatement(_connection, "SELECT account, name, value, status, observed_at FROM rate_limit_headers ORDER BY account, name;");
            var headers = new List<RateLimitHeader>();
            while (statement.Step())
            {
                headers.Add(new RateLimitHeader
                {
                    Account = statement.Text(0),
                    Name = statement.Text(1),
                    Value = statement.Text(2),
                    Status = (int)statement.Int64(3),
                    ObservedAt = DateTimeOffset.FromUnixTimeMilliseconds(statement.Int64(4)),
                });
            }

            return headers;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task ResumeBudgetAsync(string budget, string subject, DateTimeOffset windowStart, DateTimeOffset resumedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(subject);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            Execute(transaction, "INSERT OR IGNORE INTO budget_resumes (budget, subject, window_start, resumed_at) VALUES ($b, $s, $w, $r);",
                ("$b", budget), ("$s", subject), ("$w", windowStart.ToUnixTimeMilliseconds()), ("$r", resumedAt.ToUnixTimeMilliseconds()));
            transaction.Commit();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<bool> IsBudgetResumedAsync(string budget, string subject, DateTimeOffset windowStart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(subject);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = Command(null, "SELECT 1 FROM budget_resumes WHERE budget = $b AND subject = $s AND window_start = $w;",
                ("$b", budget), ("$s", subject), ("$w", windowStart.ToUnixTimeMilliseconds()));
            return command.ExecuteScalar() is not null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The proxy's upsert: the record columns follow the same rank rule as a sync's, except that a value the better
    /// sighting lacks is kept from the other (a proxy record has no working directory; a transcript line knows it), and
    /// the proxy's own columns are always kept once set, whichever sighting ranks higher. A new row's source is the
    /// proxy's; a row a transcript wrote first keeps its source (no upsert changes it).
    /// </summary>
    private static string BuildProxyUpsertSql()
    {
        string[] columns = [.. RecordColumns, .. ProxyColumns];
        var names = string.Join(", ", columns);
        var values = string.Join(", ", columns.Select((_, i) => "?" + (i + 4).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var updates = string.Join(",\n  ", RecordColumns.Select(c => $"{c} = IIF(excluded.rank > records.rank, COALESCE(excluded.{c}, records.{c}), records.{c})")
            .Concat(ProxyColumns.Select(c => $"{c} = COALESCE(excluded.{c}, records.{c})")));
        return $"""
            INSERT INTO records (key, rank, ts, {names}, source) VALUES (?1, ?2, ?3, {values}, {(int)UsageSource.Proxy})
            ON CONFLICT (key) DO UPDATE SET
              {updates},
              ts = MIN(records.ts, excluded.ts),
              rank = MAX(records.rank, excluded.rank);
            """;
    }

    private void BindProxyRecord(Microsoft.Data.Sqlite.SqliteTransaction transaction, RawStatement upsert, UsageRecord r)
    {
        var proxy = r.Proxy;
        var i = BindRecord(transaction, upsert, r, RecordRank.Of(r), r.Timestamp.ToUnixTimeMilliseconds(), null, null).Next; // a proxied call has no source file
        upsert.Bind(i++, proxy?.Agent);
        upsert.Bind(i++, proxy is null ? null : (long)proxy.Billing);
        upsert.Bind(i++, proxy?.Account);
        upsert.Bind(i++, proxy?.Status);
        upsert.Bind(i++, proxy?.Outcome);
        upsert.Bind(i++, proxy?.LatencyMs);
        upsert.Bind(i++, proxy?.TimeToFirstTokenMs);
        upsert.Bind(i, proxy is null ? null : proxy.ApiKeyFallback ? 1 : 0);
    }
}
