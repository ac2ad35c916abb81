using Tally.Core.Storage;

namespace Tally.Core.Limits;

/// <summary>Which calls to cut into blocks, and how.</summary>
public sealed record BlockRequest
{
    /// <summary>Only calls at or after this instant.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only calls before this instant.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>The block length (ccusage's <c>--session-length</c>).</summary>
    public TimeSpan Length { get; init; } = UsageWindows.FiveHours;

    /// <summary>Only these model ids; null for all.</summary>
    public IReadOnlyList<string>? Models { get; init; }

    /// <summary>Only these projects; null for all.</summary>
    public IReadOnlyList<string>? Projects { get; init; }

    /// <summary>Which cost figure to sum.</summary>
    public CostMode CostMode { get; init; }

    /// <summary>Place 5-hour blocks by observed signals where there are any (on by default; only for 5-hour blocks).</summary>
    public bool UseSignals { get; init; } = true;
}
