using Tally.Core.Storage;
using Tally.Core.Usage;

namespace Tally.Core.Reports;

/// <summary>Sums over some records: the figures every report row and every model breakdown carries.</summary>
public sealed record UsageTotals
{
    /// <summary>Nothing.</summary>
    public static readonly UsageTotals Empty = new();

    /// <summary>Tokens by kind.</summary>
    public TokenCounts Tokens { get; init; }

    /// <summary>Billed calls.</summary>
    public long Requests { get; init; }

    /// <summary>Web searches.</summary>
    public long WebSearchRequests { get; init; }

    /// <summary>Cost in the report's cost mode.</summary>
    public decimal CostUsd { get; init; }

    /// <summary>Calls whose model no catalog row prices (counted at $0).</summary>
    public long UnpricedRequests { get; init; }

    /// <summary>Calls priced at a long-context tier.</summary>
    public long LongContextRequests { get; init; }

    /// <summary>Calls whose cost is the source's own figure rather than the catalog's.</summary>
    public long ReportedCostRequests { get; init; }

    /// <summary>The earliest call.</summary>
    public DateTimeOffset? FirstActivity { get; init; }

    /// <summary>The latest call.</summary>
    public DateTimeOffset? LastActivity { get; init; }

    /// <summary>These totals and one aggregate row.</summary>
    public UsageTotals Add(AggregateRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Add(new UsageTotals
        {
            Tokens = row.Tokens,
            Requests = row.Calls,
            WebSearchRequests = row.WebSearchRequests,
            CostUsd = row.CostUsd,
            UnpricedRequests = row.UnpricedCalls,
            LongContextRequests = row.LongContextCalls,
            ReportedCostRequests = row.ReportedCostCalls,
            FirstActivity = row.FirstSeen,
            LastActivity = row.LastSeen,
        });
    }

    /// <summary>These totals and others.</summary>
    public UsageTotals Add(UsageTotals other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new UsageTotals
        {
            Tokens = Tokens + other.Tokens,
            Requests = Requests + other.Requests,
            WebSearchRequests = WebSearchRequests + other.WebSearchRequests,
            CostUsd = CostUsd + other.CostUsd,
            UnpricedRequests = UnpricedRequests + other.UnpricedRequests,
            LongContextRequests = LongContextRequests + other.LongContextRequests,
            ReportedCostRequests = ReportedCostRequests + other.ReportedCostRequests,
            FirstActivity = other.FirstActivity is { } f ? Min(FirstActivity, f) : FirstActivity,
            LastActivity = other.LastActivity is { } l ? Max(LastActivity, l) : LastActivity,
        };
    }

    private static DateTimeOffset Min(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;

    private static DateTimeOffset Max(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;
}
