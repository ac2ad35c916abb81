namespace Tally.Core.Alerts;

/// <summary>
/// Somewhere an alert goes: the terminal, a desktop notification, a webhook. A channel reports what happened as a
/// value; a channel that throws is caught and recorded as failed, never passed on to the caller.
/// </summary>
public interface IAlertChannel
{
    /// <summary>The channel's name in the alert history (<c>terminal</c>, <c>desktop</c>, <c>webhook</c>).</summary>
    string Name { get; }

    /// <summary>Delivers <paramref name="alert"/>. A channel that may take long (a webhook with retries) bounds its own
    /// time; the dispatcher does not wait for it before going on.</summary>
    Task<AlertDelivery> DeliverAsync(Alert alert, CancellationToken cancellationToken);
}
