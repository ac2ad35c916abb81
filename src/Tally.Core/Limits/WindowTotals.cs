using Tally.Core.Storage;
using Tally.Core.Usage;

namespace Tally.Core.Limits;

/// <summary>Sums over the calls in a window (a 5-hour block, a week, a day).</summary>
public sealed record WindowTotals
{
    /// <summary>Nothing.</summary>
    public static readonly WindowTotals Empty = new();

    /// <summary>Tokens by kind.</summary>
    public TokenCounts Tokens { get; init; }

    /// <summary>Cost in the query's cost mode.</summary>
    public decimal CostUsd { get; init; }

    /// <summary>Billed calls (messages).</summary>
    public long Calls { get; init; }

    /// <summary>Calls whose model no catalog row prices (counted at $0).</summary>
    public long UnpricedCalls { get; init; }

    /// <summary>These totals and one aggregate row.</summary>
    public WindowTotals Add(AggregateRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new WindowTotals
        {
            Tokens = Tokens + row.Tokens,
            CostUsd = CostUsd + row.CostUsd,
            Calls = Calls + row.Calls,
            UnpricedCalls = UnpricedCalls + row.UnpricedCalls,
        };
    }

    /// <summary>These totals and others.</summary>
    public WindowTotals Add(WindowTotals other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new WindowTotals
        {
            Tokens = Tokens + other.Tokens,
            CostUsd = CostUsd + other.CostUsd,
            Calls = Calls + other.Calls,
            UnpricedCalls = UnpricedCalls + other.UnpricedCalls,
        };
    }
}
