using Tally.Bench.Reports;
using Tally.Bench.Tools;

namespace Tally.Bench.Smoke;

/// <summary>
/// Tally's output must agree with itself: in every report the totals are the sum of the rows, each row's
/// <c>totalTokens</c> is the sum of its fields and its model breakdown adds up to it, and every report has the same totals.
/// </summary>
internal static class Consistency
{
    private const decimal CostSlack = 0.01m;

    public static List<string> Check(TallyTool tally, string corpusDir, TextWriter log)
    {
        var problems = new List<string>();
        using var box = new Sandbox(corpusDir);
        UsageReport? first = null;
        foreach (string report in tally.Reports)
        {
            var result = tally.Run(report, box, TimeSpan.FromMinutes(5));
            if (!result.Succeeded)
            {
                problems.Add($"{tally.Describe(report)} failed (exit {result.ExitCode}): {result.StderrHead(3)}");
                continue;
            }

            UsageReport parsed;
            try
            {
                parsed = ReportParser.Parse(result.Stdout);
            }
            catch (FormatException e)
            {
                problems.Add($"{report}: not a report: {e.Message}");
                continue;
            }

            int before = problems.Count;
            CheckReport(report, parsed, problems);
            first ??= parsed;
            if (parsed.Totals != first.Totals || Math.Abs(parsed.TotalCost - first.TotalCost) > CostSlack)
            {
                problems.Add($"{report}: totals {parsed.Totals} ${parsed.TotalCost} differ from daily's {first.Totals} ${first.TotalCost}");
            }

            log.WriteLine($"smoke: tally {report}: {parsed.Rows.Count} rows, {(problems.Count == before ? "consistent" : "INCONSISTENT")}");
        }

        return problems;
    }

    private static void CheckReport(string report, UsageReport r, List<string> problems)
    {
        if (r.SumOfRows != r.Totals)
        {
            problems.Add($"{report}: totals {r.Totals} != sum of rows {r.SumOfRows}");
        }

        if (r.TotalTokens != r.Totals.Total)
        {
            problems.Add($"{report}: totals.totalTokens {r.TotalTokens} != sum of its fields {r.Totals.Total}");
        }

        if (Math.Abs(r.CostOfRows - r.TotalCost) > CostSlack)
        {
            problems.Add($"{report}: totals.totalCost {r.TotalCost} != sum of rows {r.CostOfRows}");
        }

        foreach (ReportRow row in r.Rows)
        {
            if (row.TotalTokens != row.Tokens.Total)
            {
                problems.Add($"{report} {row.Key}: totalTokens {row.TotalTokens} != sum of fields {row.Tokens.Total}");
            }

            Tokens4 models = row.Models.Aggregate(default(Tokens4), static (s, m) => s + m.Tokens);
            if (row.Models.Count > 0 && (models != row.Tokens || Math.Abs(row.Models.Sum(static m => m.Cost) - row.Cost) > CostSlack))
            {
                problems.Add($"{report} {row.Key}: model breakdown {models} != row {row.Tokens}");
            }
        }
    }
}
