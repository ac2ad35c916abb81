using Tally.Core.Storage;

namespace Tally.Core.Limits;

/// <summary>What <see cref="PlanUsage"/> reports on.</summary>
public sealed record LimitsRequest
{
    /// <summary>The plan whose estimates apply.</summary>
    public required Plan Plan { get; init; }

    /// <summary>The zone "today" is cut in.</summary>
    public required TimeZoneInfo Zone { get; init; }

    /// <summary>The user's weekly reset (from the plan file), used when no signal has told it.</summary>
    public WindowAnchor? ConfiguredWeeklyReset { get; init; }

    /// <summary>Which cost figure to sum.</summary>
    public CostMode CostMode { get; init; }
}
