using System.Globalization;
using Tally.Core.Storage;

namespace Tally.Core.Alerts;

/// <summary>
/// Raises alerts: each is recorded in the store first, and only the process whose record is new delivers it, so an
/// alert goes out once however many processes evaluate the same budgets. Of several thresholds of one window reached
/// at once, only the highest is sent; the others are kept in the history as superseded. Every channel is started on
/// the caller's thread (a quick channel such as the terminal is done when <see cref="RaiseAsync"/> returns); slow
/// ones finish in the background, and <see cref="DrainAsync"/> waits for them and records their outcomes.
/// </summary>
public sealed class AlertDispatcher
{
    private readonly IUsageStore _store;
    private readonly IReadOnlyList<IAlertChannel> _channels;
    private readonly TimeProvider _clock;
    private readonly List<Task> _pending = [];
    private readonly Lock _lock = new();

    /// <summary>Creates a dispatcher that records in <paramref name="store"/> and delivers to <paramref name="channels"/>.</summary>
    public AlertDispatcher(IUsageStore store, IReadOnlyList<IAlertChannel> channels, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(clock);
        _store = store;
        _channels = channels;
        _clock = clock;
    }

    /// <summary>Records <paramref name="alerts"/> and delivers the new ones. Returns the alerts this call raised (new,
    /// including superseded ones), with their ids.</summary>
    public async Task<IReadOnlyList<Alert>> RaiseAsync(IReadOnlyList<Alert> alerts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var raised = new List<Alert>();
        var groups = alerts.GroupBy(static a => a.Kind == AlertKind.Threshold ? ThresholdGroup(a) : a.Key, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            // Highest threshold first: it alone may be sent; lower ones that are new are kept as superseded by it.
            string? sentInstead = null;
            foreach (var alert in group.OrderByDescending(static a => a.Threshold ?? 0m))
            {
                var candidate = sentInstead is null ? alert : alert with { Suppressed = $"superseded by the {sentInstead} alert of the same window" };
                var stored = await _store.AddAlertAsync(candidate, cancellationToken);
                sentInstead ??= alert.Threshold is { } t ? t.ToString("0.##", CultureInfo.InvariantCulture) + "%" : alert.Key;
                if (stored is null)
                {
                    continue;
                }

                raised.Add(stored);
                if (stored.Suppressed is null)
                {
                    Deliver(stored, cancellationToken);
                }
            }
        }

        return raised;
    }

    /// <summary>Waits for every delivery started so far and records its outcome.</summary>
    public async Task DrainAsync()
    {
        while (true)
        {
            Task[] pending;
            lock (_lock)
            {
                pending = [.. _pending];
                _pending.Clear();
            }

            if (pending.Length == 0)
            {
                return;
            }

            await Task.WhenAll(pending);
        }
    }

    private static string ThresholdGroup(Alert alert) =>
        string.Join('|', alert.Budget?.Name, alert.Subject, alert.Window?.Start.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));

    private void Deliver(Alert alert, CancellationToken cancellationToken)
    {
        foreach (var channel in _channels)
        {
            var task = DeliverOneAsync(channel, alert, cancellationToken);
            lock (_lock)
            {
                _pending.Add(task);
            }
        }
    }

    private async Task DeliverOneAsync(IAlertChannel channel, Alert alert, CancellationToken cancellationToken)
    {
        AlertDelivery delivery;
        try
        {
            delivery = await channel.DeliverAsync(alert, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            delivery = new AlertDelivery(channel.Name, DeliveryOutcome.Failed, 0, "cancelled", _clock.GetUtcNow());
        }
#pragma warning disable CA1031 // A failing channel is reported as a value and must never fail the caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            delivery = new AlertDelivery(channel.Name, DeliveryOutcome.Failed, 1, $"{ex.GetType().Name}: {ex.Message}", _clock.GetUtcNow());
        }

        // Recorded even when the caller was cancelled: the history should say what happened.
        await _store.RecordDeliveryAsync(alert.Id, delivery, CancellationToken.None);
    }
}
