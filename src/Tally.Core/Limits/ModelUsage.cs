namespace Tally.Core.Limits;

/// <summary>One model's share of a window.</summary>
/// <param name="Model">The model id as written.</param>
/// <param name="Totals">Its sums.</param>
public sealed record ModelUsage(string Model, WindowTotals Totals)
{
    /// <summary>True for an Opus model (plans count Opus messages apart).</summary>
    public bool IsOpus => Model.Contains("opus", StringComparison.OrdinalIgnoreCase);
}
