namespace Tally.Core.Alerts;

/// <summary>Why an alert was raised.</summary>
public enum AlertKind
{
    /// <summary>A budget's usage reached one of its thresholds in the current window.</summary>
    Threshold = 0,

    /// <summary>At the current burn rate a budget's limit will be reached before its window resets.</summary>
    Projected = 1,

    /// <summary>A subscription or API rate limit was hit (a limit line in a transcript, or an HTTP 429).</summary>
    RateLimit = 2,
}
