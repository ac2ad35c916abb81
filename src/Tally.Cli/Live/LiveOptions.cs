using Tally.Core.Agents;
using Tally.Core.Limits;
using Tally.Core.Storage;

namespace Tally.Cli.Live;

/// <summary>What a live frame is built with.</summary>
internal sealed record LiveOptions
{
    /// <summary>The plan's estimates, zone, weekly reset and cost mode (as <c>tally limits</c> uses them).</summary>
    public required LimitsRequest Limits { get; init; }

    /// <summary>Auth mode, labels, billing overrides, active window and aliases for the agent rows.</summary>
    public required AgentSettings Agents { get; init; }

    /// <summary>How far back agents are listed.</summary>
    public TimeSpan AgentRange { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Agent rows shown at most.</summary>
    public int MaxAgents { get; init; } = 8;

    /// <summary>How far back alerts are listed.</summary>
    public TimeSpan AlertRange { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Alert rows shown at most.</summary>
    public int MaxAlerts { get; init; } = 5;

    /// <summary>The cost figure shown.</summary>
    public CostMode CostMode => Limits.CostMode;
}
