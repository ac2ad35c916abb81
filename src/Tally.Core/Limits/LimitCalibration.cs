namespace Tally.Core.Limits;

/// <summary>
/// What a window allows, learned: from observed signals (a window at u% when its local cost was $c allows $c / u%; a
/// limit hit at $c allows $c), else from history (the 90th percentile of recent completed 5-hour blocks that came near
/// the plan's figure, or of all of them for a plan with no figure), else the plan file's figure.
/// </summary>
internal static class LimitCalibration
{
    /// <summary>Observations under this utilisation say too little about the limit (a few cents of noise is 50% of 2%).</summary>
    public const decimal MinUtilisation = 10m;

    /// <summary>The newest windows calibration reads.</summary>
    public const int MaxSamples = 10;

    /// <summary>How far back history learning looks (the monitor's 8 days).</summary>
    public static readonly TimeSpan HistoryDays = TimeSpan.FromDays(8);

    /// <summary>The limit implied by each observed window: one sample per window (its highest utilisation), newest first.</summary>
    public static IEnumerable<(ObservedSignal Signal, DateTimeOffset Start)> Samples(IEnumerable<ObservedSignal> signals, WindowKind kind, string? model, TimeSpan length) =>
        signals
            .Where(s => s.Window == kind && s.ResetsAt is not null && (model is null || string.Equals(s.Model, model, StringComparison.OrdinalIgnoreCase)))
            .Where(static s => s.Kind == SignalKind.LimitLine || s.Utilisation >= MinUtilisation)
            .GroupBy(static s => s.ResetsAt!.Value)
            .Select(static g => g.OrderByDescending(static s => s.Utilisation).ThenByDescending(static s => s.Kind).First())
            .OrderByDescending(static s => s.ResetsAt)
            .Take(MaxSamples)
            .Select(s => (s, s.ResetsAt!.Value - length));

    /// <summary>The median of <paramref name="values"/>.</summary>
    public static decimal Median(IReadOnlyList<decimal> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2m;
    }

    /// <summary>The 90th percentile (nearest rank) of <paramref name="values"/>.</summary>
    public static decimal P90(IReadOnlyList<decimal> values)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(0.9 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    /// <summary>The 5-hour limit learned from recent completed blocks, when history says anything.</summary>
    public static (decimal Limit, int Samples)? FromHistory(IEnumerable<UsageBlock> blocks, DateTimeOffset now, decimal? planLimit)
    {
        var completed = blocks.Where(b => !b.IsGap && !b.IsActive && b.End <= now && b.Start >= now - HistoryDays && b.Totals.CostUsd > 0).Select(static b => b.Totals.CostUsd).ToList();
        if (planLimit is { } known)
        {
            var near = completed.Where(c => c >= 0.95m * known).ToList();
            return near.Count == 0 ? null : (P90(near), near.Count);
        }

        return completed.Count == 0 ? null : (P90(completed), completed.Count);
    }
}
