namespace Tally.Core.Alerts;

/// <summary>What became of an alert on one channel.</summary>
public enum DeliveryOutcome
{
    /// <summary>Delivered (printed, shown, or accepted by the webhook with a 2xx answer).</summary>
    Sent = 0,

    /// <summary>Not attempted: the channel is not available here (e.g. no <c>notify-send</c>) or not configured.</summary>
    Skipped = 1,

    /// <summary>Attempted and given up on.</summary>
    Failed = 2,
}
