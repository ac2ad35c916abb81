namespace Tally.Bench.Reports;

/// <summary>A parsed <c>--json</c> report: its rows and its totals.</summary>
internal sealed record UsageReport(IReadOnlyList<ReportRow> Rows, Tokens4 Totals, long TotalTokens, decimal TotalCost)
{
    public ReportRow? Row(string key) => Rows.FirstOrDefault(r => r.Key == key);

    public Tokens4 SumOfRows => Rows.Aggregate(default(Tokens4), static (sum, r) => sum + r.Tokens);

    public decimal CostOfRows => Rows.Sum(static r => r.Cost);
}
