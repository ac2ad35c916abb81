using System.Globalization;
using Microsoft.Data.Sqlite;
using Tally.Core.Billing;
using Tally.Core.Usage;

namespace Tally.Storage.Sqlite;

/// <summary>The Admin API's billed data (<see cref="IBilledStore"/>), in tables of its own.</summary>
public sealed partial class SqliteUsageStore : IBilledStore
{
    private const string DayFormat = "yyyy-MM-dd";

    /// <inheritdoc />
    public async Task StoreBilledAsync(BilledBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            if (batch.UsageWindow is { } usage)
            {
                Execute(transaction, "DELETE FROM admin_usage WHERE bucket >= $from AND bucket < $until;", ("$from", usage.From.ToUnixTimeSeconds()), ("$until", usage.Until.ToUnixTimeSeconds()));
                foreach (var row in batch.Usage)
                {
                    Execute(transaction, """
                        INSERT INTO admin_usage VALUES ($b, $m, $w, $k, $t, $c, $g, $in, $out, $w5, $w1, $cr, $ws)
                        ON CONFLICT DO UPDATE SET uncached = excluded.uncached, output = excluded.output, cw5m = excluded.cw5m,
                          cw1h = excluded.cw1h, cache_read = excluded.cache_read, web_search = excluded.web_search;
                        """,
                        ("$b", row.Bucket.ToUnixTimeSeconds()), ("$m", Key(row.Model)), ("$w", Key(row.WorkspaceId)), ("$k", Key(row.ApiKeyId)),
                        ("$t", Key(row.ServiceTier)), ("$c", Key(row.ContextWindow)), ("$g", Key(row.InferenceGeo)),
                        ("$in", row.Tokens.Input), ("$out", row.Tokens.Output), ("$w5", row.Tokens.CacheWrite5m), ("$w1", row.Tokens.CacheWrite1h),
                        ("$cr", row.Tokens.CacheRead), ("$ws", row.WebSearchRequests));
                }
            }

            if (batch.CostWindow is { } cost)
            {
                Execute(transaction, "DELETE FROM admin_costs WHERE day >= $from AND day < $until;", ("$from", Day(cost.From)), ("$until", Day(cost.Until)));
                foreach (var row in batch.Costs)
                {
                    Execute(transaction, """
                        INSERT INTO admin_costs VALUES ($d, $w, $desc, $ct, $tt, $m, $t, $c, $g, $a, $cur)
                        ON CONFLICT DO UPDATE SET amount = excluded.amount, currency = excluded.currency;
                        """,
                        ("$d", Day(row.Day)), ("$w", Key(row.WorkspaceId)), ("$desc", Key(row.Description)), ("$ct", Key(row.CostType)),
                        ("$tt", Key(row.TokenType)), ("$m", Key(row.Model)), ("$t", Key(row.ServiceTier)), ("$c", Key(row.ContextWindow)),
                        ("$g", Key(row.InferenceGeo)), ("$a", row.AmountUsd.ToString(CultureInfo.InvariantCulture)), ("$cur", row.Currency));
                }
            }

            if (batch.ClaudeCodeWindow is { } code)
            {
                Execute(transaction, "DELETE FROM admin_claude_code WHERE day >= $from AND day < $until;", ("$from", Day(code.From)), ("$until", Day(code.Until)));
                foreach (var row in batch.ClaudeCode)
                {
                    Execute(transaction, """
                        INSERT INTO admin_claude_code VALUES ($d, $at, $a, $tt, $ct, $st, $s, $la, $lr, $c, $pr, $ta, $tr, $tok, $cost)
                        ON CONFLICT DO UPDATE SET subscription_type = excluded.subscription_type, sessions = excluded.sessions,
                          lines_added = excluded.lines_added, lines_removed = excluded.lines_removed, commits = excluded.commits,
                          pull_requests = excluded.pull_requests, tools_accepted = excluded.tools_accepted,
                          tools_rejected = excluded.tools_rejected, tokens = excluded.tokens, estimated_cost = excluded.estimated_cost;
                        """,
                        ("$d", Day(row.Day)), ("$at", row.ActorType), ("$a", row.Actor), ("$tt", Key(row.TerminalType)), ("$ct", Key(row.CustomerType)),
                        ("$st", row.SubscriptionType), ("$s", row.Sessions), ("$la", row.LinesAdded), ("$lr", row.LinesRemoved), ("$c", row.Commits),
                        ("$pr", row.PullRequests), ("$ta", row.ToolsAccepted), ("$tr", row.ToolsRejected), ("$tok", row.Tokens),
                        ("$cost", row.EstimatedCostUsd.ToString(CultureInfo.InvariantCulture)));
                }
            }

            foreach (var workspace in batch.Workspaces)
            {
                Execute(transaction, "INSERT INTO admin_workspaces VALUES ($id, $name) ON CONFLICT DO UPDATE SET name = excluded.name;", ("$id", workspace.Id), ("$name", workspace.Name));
            }

            foreach (var key in batch.ApiKeys)
            {
                Execute(transaction, "INSERT INTO admin_api_keys VALUES ($id, $name, $w, $s) ON CONFLICT DO UPDATE SET name = excluded.name, workspace = excluded.workspace, status = excluded.status;",
                    ("$id", key.Id), ("$name", key.Name), ("$w", key.WorkspaceId), ("$s", key.Status));
            }

            // The mark only moves forward: back-filling an old range does not make the next sync re-read everything since.
            foreach (var (report, until) in batch.CompleteUntil)
            {
                Execute(transaction, "INSERT INTO admin_sync VALUES ($r, $u) ON CONFLICT DO UPDATE SET complete_until = MAX(complete_until, excluded.complete_until);", ("$r", report), ("$u", until.ToUnixTimeSeconds()));
            }

            BeforeBilledCommit?.Invoke();
            transaction.Commit();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Tests only: runs inside <see cref="StoreBilledAsync"/>'s transaction before it commits (a throw is a crash).</summary>
    internal Action? BeforeBilledCommit { get; set; }

    /// <inheritdoc />
    public async Task<DateTimeOffset?> BilledCompleteUntilAsync(string report, CancellationToken cancellationToken)
    {
        var rows = await ReadAsync("SELECT complete_until FROM admin_sync WHERE report = $r;", static r => r.GetInt64(0), cancellationToken, ("$r", report));
        return rows.Count == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(rows[0]);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<BilledUsageRow>> BilledUsageAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken) =>
        ReadAsync(
            "SELECT * FROM admin_usage WHERE bucket >= $from AND bucket < $until ORDER BY bucket, model, workspace, api_key, service_tier, context_window, inference_geo;",
            static r => new BilledUsageRow
            {
                Bucket = DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(0)),
                Model = Null(r.GetString(1)),
                WorkspaceId = Null(r.GetString(2)),
                ApiKeyId = Null(r.GetString(3)),
                ServiceTier = Null(r.GetString(4)),
                ContextWindow = Null(r.GetString(5)),
                InferenceGeo = Null(r.GetString(6)),
                Tokens = new TokenCounts(r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10), r.GetInt64(11)),
                WebSearchRequests = r.GetInt64(12),
            },
            cancellationToken,
            ("$from", from.ToUnixTimeSeconds()),
            ("$until", until.ToUnixTimeSeconds()));

    /// <inheritdoc />
    public Task<IReadOnlyList<BilledCostRow>> BilledCostsAsync(DateOnly from, DateOnly until, CancellationToken cancellationToken) =>
        ReadAsync(
            "SELECT * FROM admin_costs WHERE day >= $from AND day < $until ORDER BY day, workspace, description, cost_type, token_type, model, service_tier, context_window, inference_geo;",
            static r => new BilledCostRow
            {
                Day = DateOnly.ParseExact(r.GetString(0), DayFormat, CultureInfo.InvariantCulture),
                WorkspaceId = Null(r.GetString(1)),
                Description = Null(r.GetString(2)),
                CostType = Null(r.GetString(3)),
                TokenType = Null(r.GetString(4)),
                Model = Null(r.GetString(5)),
                ServiceTier = Null(r.GetString(6)),
                ContextWindow = Null(r.GetString(7)),
                InferenceGeo = Null(r.GetString(8)),
                AmountUsd = decimal.Parse(r.GetString(9), NumberStyles.Number, CultureInfo.InvariantCulture),
                Currency = r.GetString(10),
            },
            cancellationToken,
            ("$from", Day(from)),
            ("$until", Day(until)));

    /// <inheritdoc />
    public Task<IReadOnlyList<ClaudeCodeDay>> ClaudeCodeDaysAsync(DateOnly from, DateOnly until, CancellationToken cancellationToken) =>
        ReadAsync(
            "SELECT * FROM admin_claude_code WHERE day >= $from AND day < $until ORDER BY day, actor_type, actor, terminal_type, customer_type;",
            static r => new ClaudeCodeDay
            {
                Day = DateOnly.ParseExact(r.GetString(0), DayFormat, CultureInfo.InvariantCulture),
                ActorType = r.GetString(1),
                Actor = r.GetString(2),
                TerminalType = Null(r.GetString(3)),
                CustomerType = Null(r.GetString(4)),
                SubscriptionType = r.IsDBNull(5) ? null : r.GetString(5),
                Sessions = r.GetInt64(6),
                LinesAdded = r.GetInt64(7),
                LinesRemoved = r.GetInt64(8),
                Commits = r.GetInt64(9),
                PullRequests = r.GetInt64(10),
                ToolsAccepted = r.GetInt64(11),
                ToolsRejected = r.GetInt64(12),
                Tokens = r.GetInt64(13),
                EstimatedCostUsd = decimal.Parse(r.GetString(14), NumberStyles.Number, CultureInfo.InvariantCulture),
            },
            cancellationToken,
            ("$from", Day(from)),
            ("$until", Day(until)));

    /// <inheritdoc />
    public Task<IReadOnlyList<AdminWorkspace>> WorkspacesAsync(CancellationToken cancellationToken) =>
        ReadAsync("SELECT id, name FROM admin_workspaces ORDER BY name, id;", static r => new AdminWorkspace(r.GetString(0), r.GetString(1)), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AdminApiKey>> ApiKeysAsync(CancellationToken cancellationToken) =>
        ReadAsync(
            "SELECT id, name, workspace, status FROM admin_api_keys ORDER BY name, id;",
            static r => new AdminApiKey(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3)),
            cancellationToken);

    private async Task<IReadOnlyList<T>> ReadAsync<T>(string sql, Func<SqliteDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = Command(null, sql, parameters);
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(read(reader));
            }

            return rows;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string Key(string? value) => value ?? string.Empty;

    private static string? Null(string value) => value.Length == 0 ? null : value;

    private static string Day(DateOnly day) => day.ToString(DayFormat, CultureInfo.InvariantCulture);
}
