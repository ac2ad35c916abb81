namespace Tally.Core.Limits;

/// <summary>Where an observed plan-limit signal came from, most authoritative last in value (a higher value wins).</summary>
public enum SignalKind
{
    /// <summary>A "limit reached" line in a transcript: the exact moment a limit was hit, and usually its reset time.</summary>
    LimitLine = 1,

    /// <summary>Claude Code's status-line input (<c>rate_limits.five_hour|seven_day</c>): utilisation and reset time.</summary>
    StatusLine = 2,

    /// <summary>The unified rate-limit headers on a subscription response, seen by the metering proxy.</summary>
    Header = 3,
}
