using System.Globalization;
using Microsoft.Data.Sqlite;
using Tally.Core.Alerts;
using Tally.Core.Budgets;

namespace Tally.Storage.Sqlite;

public sealed partial class SqliteUsageStore
{
    private const string AlertColumns = """
        id, key, kind, raised_ts, message, budget, scope, target, period, unit, limit_value, action, thresholds, subject,
        threshold, used, burn, window_start, window_end, projected_ts, limit_source, limit_window, limit_seen_ts,
        limit_resets_ts, limit_detail, suppressed
        """;

    /// <inheritdoc />
    public async Task<Alert?> AddAlertAsync(Alert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var budget = alert.Budget;
            var limit = alert.RateLimit;
            using var insert = Command(
                null,
                """
                INSERT INTO alerts (key, kind, raised_ts, message, budget, scope, target, period, unit, limit_value, action, thresholds,
                    subject, threshold, used, burn, window_start, window_end, projected_ts, limit_source, limit_window, limit_seen_ts,
                    limit_resets_ts, limit_detail, suppressed)
                VALUES ($key, $kind, $raised, $message, $budget, $scope, $target, $period, $unit, $limit, $action, $thresholds,
                    $subject, $threshold, $used, $burn, $start, $end, $projected, $source, $window, $seen, $resets, $detail, $suppressed)
                ON CONFLICT (key) DO NOTHING
                RETURNING id;
                """,
                ("$key", alert.Key),
                ("$kind", (int)alert.Kind),
                ("$raised", alert.RaisedAt.ToUnixTimeMilliseconds()),
                ("$message", alert.Message),
                ("$budget", budget?.Name),
                ("$scope", budget is null ? null : (int)budget.Scope),
                ("$target", budget?.Target),
                ("$period", budget is null ? null : (int)budget.Period),
                ("$unit", budget is null ? null : (int)budget.Unit),
                ("$limit", Text(budget?.Limit)),
                ("$action", budget is null ? null : (int)budget.Action),
                ("$thresholds", budget is null ? null : string.Join(',', budget.Thresholds.Select(static t => t.ToString(CultureInfo.InvariantCulture)))),
                ("$subject", alert.Subject),
                ("$threshold", Text(alert.Threshold)),
                ("$used", Text(alert.Used)),
                ("$burn", Text(alert.BurnPerHour)),
                ("$start", alert.Window?.Start.ToUnixTimeMilliseconds()),
                ("$end", alert.Window?.End?.ToUnixTimeMilliseconds()),
                ("$projected", alert.ProjectedAt?.ToUnixTimeMilliseconds()),
                ("$source", limit is null ? null : (int)limit.Source),
                ("$window", limit?.Window),
                ("$seen", limit?.ObservedAt.ToUnixTimeMilliseconds()),
                ("$resets", limit?.ResetsAt?.ToUnixTimeMilliseconds()),
                ("$detail", limit?.Detail),
                ("$suppressed", alert.Suppressed));
            return insert.ExecuteScalar() is long id ? alert with { Id = id, Deliveries = [] } : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task RecordDeliveryAsync(long alertId, AlertDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = Command(
                null,
                """
                INSERT INTO alert_deliveries (alert_id, channel, outcome, attempts, detail, ts) VALUES ($id, $channel, $outcome, $attempts, $detail, $ts)
                ON CONFLICT (alert_id, channel) DO UPDATE SET outcome = excluded.outcome, attempts = excluded.attempts, detail = excluded.detail, ts = excluded.ts;
                """,
                ("$id", alertId),
                ("$channel", delivery.Channel),
                ("$outcome", (int)delivery.Outcome),
                ("$attempts", delivery.Attempts),
                ("$detail", delivery.Detail),
                ("$ts", delivery.At.ToUnixTimeMilliseconds()));
            command.ExecuteNonQuery();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Alert>> AlertsAsync(DateTimeOffset? from, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var alerts = new List<Alert>();
            using (var select = Command(
                null,
                $"SELECT {AlertColumns} FROM alerts WHERE raised_ts >= $from AND raised_ts < $until ORDER BY raised_ts, id;",
                ("$from", from?.ToUnixTimeMilliseconds() ?? long.MinValue),
                ("$until", until?.ToUnixTimeMilliseconds() ?? long.MaxValue)))
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    alerts.Add(ReadAlert(reader));
                }
            }

            if (alerts.Count == 0)
            {
                return alerts;
            }

            var deliveries = new Dictionary<long, List<AlertDelivery>>();
            using (var select = Command(
                null,
                "SELECT alert_id, channel, outcome, attempts, detail, ts FROM alert_deliveries WHERE alert_id >= $first AND alert_id <= $last ORDER BY alert_id, channel;",
                ("$first", alerts.Min(static a => a.Id)),
                ("$last", alerts.Max(static a => a.Id))))
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    var id = reader.GetInt64(0);
                    if (!deliveries.TryGetValue(id, out var list))
                    {
                        deliveries[id] = list = [];
                    }

                    list.Add(new AlertDelivery(
                        reader.GetString(1),
                        (DeliveryOutcome)reader.GetInt32(2),
                        reader.GetInt32(3),
                        reader.IsDBNull(4) ? null : reader.GetString(4),
                        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
                }
            }

            return [.. alerts.Select(a => deliveries.TryGetValue(a.Id, out var list) ? a with { Deliveries = list } : a)];
        }
        finally
        {
            _gate.Release();
        }
    }

    private static Alert ReadAlert(SqliteDataReader row)
    {
        string? Str(int i) => row.IsDBNull(i) ? null : row.GetString(i);
        long? Long(int i) => row.IsDBNull(i) ? null : row.GetInt64(i);
        decimal? Dec(int i) => row.IsDBNull(i) ? null : decimal.Parse(row.GetString(i), NumberStyles.Number, CultureInfo.InvariantCulture);
        DateTimeOffset? Time(int i) => Long(i) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

        Budget? budget = null;
        if (Str(5) is { } name)
        {
            budget = new Budget
            {
                Name = name,
                Scope = (BudgetScope)row.GetInt32(6),
                Target = Str(7),
                Period = (BudgetPeriod)row.GetInt32(8),
                Unit = (BudgetUnit)row.GetInt32(9),
                Limit = Dec(10)!.Value,
                Action = (BudgetAction)row.GetInt32(11),
                Thresholds = [.. (Str(12) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(static t => decimal.Parse(t, NumberStyles.Number, CultureInfo.InvariantCulture))],
            };
        }

        RateLimitHit? hit = null;
        if (Long(20) is { } source)
        {
            hit = new RateLimitHit
            {
                Source = (RateLimitSource)source,
                Window = Str(21),
                ObservedAt = Time(22)!.Value,
                ResetsAt = Time(23),
                Subject = Str(13),
                Detail = Str(24),
            };
        }

        return new Alert
        {
            Id = row.GetInt64(0),
            Key = row.GetString(1),
            Kind = (AlertKind)row.GetInt32(2),
            RaisedAt = Time(3)!.Value,
            Message = row.GetString(4),
            Budget = budget,
            Subject = Str(13),
            Threshold = Dec(14),
            Used = Dec(15),
            BurnPerHour = Dec(16),
            Window = Time(17) is { } start ? new BudgetWindow(start, Time(18)) : null,
            ProjectedAt = Time(19),
            RateLimit = hit,
            Suppressed = Str(25),
        };
    }

    private static string? Text(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);
}
