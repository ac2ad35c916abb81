using Tally.Bench.Reports;
using Tally.Bench.Truth;

namespace Tally.Bench.Agree;

/// <summary>One UTC day as the ground truth, Tally and ccusage see it (a side is null when it has no such day).</summary>
internal sealed record DayDiff(string Date, TruthDay? Truth, ReportRow? Tally, ReportRow? Ccusage)
{
    /// <summary>Half a cent: the most two correct tools may differ by on a day (rounding of floating-point sums).</summary>
    public const decimal CostTolerance = 0.005m;

    public Tokens4 TruthTokens => Truth?.Tokens ?? default;

    public Tokens4 TallyTokens => Tally?.Tokens ?? default;

    public Tokens4 CcusageTokens => Ccusage?.Tokens ?? default;

    public decimal TallyCost => Tally?.Cost ?? 0;

    public decimal CcusageCost => Ccusage?.Cost ?? 0;

    public decimal TruthCost => Truth?.Cost ?? 0;

    /// <summary>Tally − ccusage, per token field.</summary>
    public Tokens4 TokenDelta => TallyTokens - CcusageTokens;

    public decimal CostDelta => TallyCost - CcusageCost;

    public bool PeersAgree => TokenDelta.IsZero && Math.Abs(CostDelta) <= CostTolerance;

    public bool TallyMatchesTruth => (TallyTokens - TruthTokens).IsZero && Math.Abs(TallyCost - TruthCost) <= CostTolerance;

    public bool CcusageMatchesTruth => (CcusageTokens - TruthTokens).IsZero && Math.Abs(CcusageCost - TruthCost) <= CostTolerance;

    public static IReadOnlyList<DayDiff> Join(IReadOnlyList<TruthDay> truth, UsageReport? tally, UsageReport? ccusage)
    {
        IEnumerable<string> dates = truth.Select(static t => t.Date)
            .Concat(tally?.Rows.Select(static r => r.Key) ?? [])
            .Concat(ccusage?.Rows.Select(static r => r.Key) ?? []);
        return [.. dates.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(d => new DayDiff(d, truth.FirstOrDefault(t => t.Date == d), tally?.Row(d), ccusage?.Row(d)))];
    }
}
