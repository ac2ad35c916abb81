using Tally.Core.Agents;
using Tally.Core.Alerts;
using Tally.Core.Limits;

namespace Tally.Cli.Live;

/// <summary>
/// What the live monitor shows, worked out from the index after a sync (UI-free). Everything that changes with the
/// clock alone (time left, working-for, which agents are still active) is kept as instants, so a frame can be drawn
/// again at a later moment without asking the index.
/// </summary>
internal sealed record LiveFrame
{
    /// <summary>The instant the figures are for.</summary>
    public required DateTimeOffset BuiltAt { get; init; }

    /// <summary>The zone times are shown in.</summary>
    public required TimeZoneInfo Zone { get; init; }

    /// <summary>The plan the estimates come from (its label).</summary>
    public required string Plan { get; init; }

    /// <summary>The 5-hour window: start, reset, what was used, utilisation and the time the limit would be reached,
    /// each with its source.</summary>
    public required WindowStatus FiveHour { get; init; }

    /// <summary>The weekly window, as the 5-hour one.</summary>
    public required WindowStatus Weekly { get; init; }

    /// <summary>The active block's burn rate (null: no active block, or one call only).</summary>
    public BurnRate? BurnRate { get; init; }

    /// <summary>Where the 5-hour window ends up if the burn rate holds until it resets (null without a rate or a reset).</summary>
    public Projection? Projection { get; init; }

    /// <summary>True when Claude Code is blocked by its 5-hour or weekly limit.</summary>
    public bool Blocked { get; init; }

    /// <summary>When the block lifts (null: not blocked, or not known).</summary>
    public DateTimeOffset? BlockedUntil { get; init; }

    /// <summary>The agents seen lately, active first, then the most recently active.</summary>
    public IReadOnlyList<AgentCard> Agents { get; init; } = [];

    /// <summary>Agents left out of <see cref="Agents"/> (the list is cut to fit the screen).</summary>
    public int MoreAgents { get; init; }

    /// <summary>How recently an agent must have called the model to count as active.</summary>
    public TimeSpan ActiveWindow { get; init; } = AgentSettings.DefaultActiveWindow;

    /// <summary>The latest alerts from the store's history, newest first.</summary>
    public IReadOnlyList<Alert> Alerts { get; init; } = [];

    /// <summary>What the last sync did, for the footer (null before any).</summary>
    public LiveSync? LastSync { get; init; }
}
