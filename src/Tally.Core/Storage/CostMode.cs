namespace Tally.Core.Storage;

/// <summary>Which cost figure a report shows (ccusage's <c>--mode</c>).</summary>
public enum CostMode
{
    /// <summary>The source's own cost (<c>costUSD</c>) when it has one, else the calculated cost.</summary>
    Auto = 0,

    /// <summary>Always the cost calculated from the price catalog.</summary>
    Calculate = 1,

    /// <summary>Only the source's own cost; 0 where it has none.</summary>
    Display = 2,
}
