using Tally.Core.Storage;
using Tally.Core.Usage;

namespace Tally.Core.Reports;

/// <summary>
/// <see cref="UsageTotals"/> being summed in place: the same sums, in the same order, as a chain of
/// <see cref="UsageTotals.Add(AggregateRow)"/> and <see cref="UsageTotals.Add(UsageTotals)"/> from
/// <see cref="UsageTotals.Empty"/>, without a new record per step (a report folds thousands of rows).
/// </summary>
internal sealed class TotalsAccumulator
{
    private TokenCounts _tokens;
    private long _requests;
    private long _webSearchRequests;
    private decimal _costUsd;
    private long _unpricedRequests;
    private long _longContextRequests;
    private long _reportedCostRequests;
    private DateTimeOffset? _firstActivity;
    private DateTimeOffset? _lastActivity;

    /// <summary>The cost summed so far.</summary>
    public decimal CostUsd => _costUsd;

    /// <summary>Unpriced calls summed so far.</summary>
    public long UnpricedRequests => _unpricedRequests;

    /// <summary>Adds one aggregate row.</summary>
    public void Add(AggregateRow row)
    {
        _tokens += row.Tokens;
        _requests += row.Calls;
        _webSearchRequests += row.WebSearchRequests;
        _costUsd += row.CostUsd;
        _unpricedRequests += row.UnpricedCalls;
        _longContextRequests += row.LongContextCalls;
        _reportedCostRequests += row.ReportedCostCalls;
        Widen(row.FirstSeen, row.LastSeen);
    }

    /// <summary>Adds other totals.</summary>
    public void Add(UsageTotals other)
    {
        _tokens += other.Tokens;
        _requests += other.Requests;
        _webSearchRequests += other.WebSearchRequests;
        _costUsd += other.CostUsd;
        _unpricedRequests += other.UnpricedRequests;
        _longContextRequests += other.LongContextRequests;
        _reportedCostRequests += other.ReportedCostRequests;
        if (other.FirstActivity is { } first)
        {
            _firstActivity = _firstActivity is { } f && f < first ? f : first;
        }

        if (other.LastActivity is { } last)
        {
            _lastActivity = _lastActivity is { } l && l > last ? l : last;
        }
    }

    /// <summary>The totals summed so far.</summary>
    public UsageTotals ToTotals() => new()
    {
        Tokens = _tokens,
        Requests = _requests,
        WebSearchRequests = _webSearchRequests,
        CostUsd = _costUsd,
        UnpricedRequests = _unpricedRequests,
        LongContextRequests = _longContextRequests,
        ReportedCostRequests = _reportedCostRequests,
        FirstActivity = _firstActivity,
        LastActivity = _lastActivity,
    };

    private void Widen(DateTimeOffset first, DateTimeOffset last)
    {
        _firstActivity = _firstActivity is { } f && f < first ? f : first;
        _lastActivity = _lastActivity is { } l && l > last ? l : last;
    }
}
