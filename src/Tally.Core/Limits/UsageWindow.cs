namespace Tally.Core.Limits;

/// <summary>A fixed window of usage (a week, or a model's week) and what was used in it.</summary>
public sealed record UsageWindow
{
    /// <summary>The window kind.</summary>
    public required WindowKind Kind { get; init; }

    /// <summary>The model family of a model window (<c>opus</c>, <c>sonnet</c>).</summary>
    public string? Model { get; init; }

    /// <summary>When the window starts.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>When it resets.</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>Where its start and reset come from.</summary>
    public required Provenance Source { get; init; }

    /// <summary>True when the window holds now.</summary>
    public bool IsActive { get; init; }

    /// <summary>Its sums.</summary>
    public WindowTotals Totals { get; init; } = WindowTotals.Empty;

    /// <summary>Each model's share, dearest first.</summary>
    public IReadOnlyList<ModelUsage> Models { get; init; } = [];
}
