using Tally.Core.Limits;

namespace Tally.Storage.Sqlite;

public sealed partial class SqliteUsageStore
{
    /// <summary>Status-line signals older than this are dropped when new ones are recorded (a render repeats them every
    /// few seconds; limit lines are history and are kept).</summary>
    private static readonly TimeSpan StatusLineRetention = TimeSpan.FromDays(90);

    internal const string UpsertSignalSql = """
        INSERT INTO signals (key, kind, window_kind, model, utilisation, resets_at, observed_at, last_observed_at, source)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
        ON CONFLICT (key) DO UPDATE SET
          observed_at = MIN(signals.observed_at, excluded.observed_at),
          last_observed_at = MAX(signals.last_observed_at, excluded.last_observed_at)
        WHERE excluded.observed_at < signals.observed_at OR excluded.last_observed_at > signals.last_observed_at;
        """;

    /// <inheritdoc />
    public async Task RecordSignalsAsync(IReadOnlyCollection<ObservedSignal> signals, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signals);
        if (signals.Count == 0)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            using (var upsert = new RawStatement(_connection, UpsertSignalSql))
            {
                foreach (var signal in signals)
                {
                    BindSignal(upsert, signal);
                    upsert.Execute();
                }
            }

            if (signals.Any(static s => s.Kind == SignalKind.StatusLine))
            {
                var cutoff = signals.Max(static s => s.LatestObservation) - StatusLineRetention;
                Execute(transaction, "DELETE FROM signals WHERE kind = $kind AND last_observed_at < $cutoff;", ("$kind", (long)SignalKind.StatusLine), ("$cutoff", cutoff.ToUnixTimeMilliseconds()));
            }

            transaction.Commit();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ObservedSignal>> SignalsAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var statement = new RawStatement(_connection, """
                SELECT key, kind, window_kind, model, utilisation, resets_at, observed_at, last_observed_at, source
                FROM signals WHERE last_observed_at >= ?1 ORDER BY observed_at, key;
                """);
            statement.Bind(1, since.ToUnixTimeMilliseconds());
            var signals = new List<ObservedSignal>();
            while (statement.Step())
            {
                signals.Add(new ObservedSignal
                {
                    Key = statement.Text(0),
                    Kind = (SignalKind)statement.Int64(1),
                    Window = (WindowKind)statement.Int64(2),
                    Model = statement.TextOrNull(3),
                    Utilisation = statement.IsNull(4) ? null : statement.Int64(4) / 100m,
                    ResetsAt = statement.IsNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(statement.Int64(5)),
                    ObservedAt = DateTimeOffset.FromUnixTimeMilliseconds(statement.Int64(6)),
                    LastObservedAt = DateTimeOffset.FromUnixTimeMilliseconds(statement.Int64(7)),
                    Source = statement.TextOrNull(8),
                });
            }

            return signals;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Binds a signal to <see cref="UpsertSignalSql"/>'s parameters.</summary>
    internal static void BindSignal(RawStatement upsert, ObservedSignal signal)
    {
        upsert.Bind(1, signal.Key);
        upsert.Bind(2, (long)signal.Kind);
        upsert.Bind(3, (long)signal.Window);
        upsert.Bind(4, signal.Model);
        upsert.Bind(5, signal.Utilisation is { } u ? decimal.ToInt64(decimal.Round(u * 100m, MidpointRounding.AwayFromZero)) : null);
        upsert.Bind(6, signal.ResetsAt?.ToUnixTimeMilliseconds());
        upsert.Bind(7, signal.ObservedAt.ToUnixTimeMilliseconds());
        upsert.Bind(8, signal.LatestObservation.ToUnixTimeMilliseconds());
        upsert.Bind(9, signal.Source);
    }
}
