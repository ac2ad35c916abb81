using Tally.Bench.Common;
using Tally.Bench.Reports;

namespace Tally.Bench.Agree;

/// <summary>
/// Prints a corpus's days: Tally − ccusage per token field and in dollars (to a tenth of a cent), and whether Tally
/// and ccusage each match the ground truth; an optional explanation under each row.
/// </summary>
internal static class DiffTable
{
    private const string Row = "{0,-10} {1,9} {2,9} {3,12} {4,12} {5,9} {6,9} {7,8}  {8}";

    public static void Print(TextWriter o, CorpusRun run, Func<DayDiff, IReadOnlyList<string>>? explain)
    {
        o.WriteLine();
        o.WriteLine($"== {run.Name} corpus: {Fmt.Count(run.Summary.Bytes)} bytes, {run.Summary.Files} files, "
            + $"{Fmt.Count(run.Summary.Requests)} requests — Tally − ccusage per day ('·' = identical)");
        o.WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, Row,
            "date", "Δinput", "Δoutput", "ΔcacheCreate", "ΔcacheRead", "tally $", "ccusage $", "Δ $", "vs truth (tally / ccusage)"));
        foreach (DayDiff d in run.Days)
        {
            Tokens4 t = d.TokenDelta;
            o.WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, Row, d.Date,
                Fmt.Delta(t.Input), Fmt.Delta(t.Output), Fmt.Delta(t.CacheCreation), Fmt.Delta(t.CacheRead),
                d.Tally is null ? "-" : Fmt.Usd(d.TallyCost), d.Ccusage is null ? "-" : Fmt.Usd(d.CcusageCost),
                Fmt.Delta(d.CostDelta), $"{Verdict(d.Tally is not null, d.TallyMatchesTruth)} / {Verdict(d.Ccusage is not null, d.CcusageMatchesTruth)}"));
            foreach (string line in explain?.Invoke(d) ?? [])
            {
                o.WriteLine($"             {line}");
            }
        }

        PrintTotals(o, run);
    }

    private static void PrintTotals(TextWriter o, CorpusRun run)
    {
        Tokens4 truth = run.TruthTotals;
        o.WriteLine($"   totals    truth   {Fmt.Count(truth.Total),15} tokens  ${Fmt.Usd4(run.TruthCost)}");
        foreach ((string name, UsageReport? r) in new[] { ("tally", run.Tally), ("ccusage", run.Ccusage) })
        {
            if (r is not null)
            {
                Tokens4 d = r.Totals - truth;
                o.WriteLine($"             {name,-7} {Fmt.Count(r.Totals.Total),15} tokens  ${Fmt.Usd4(r.TotalCost)}   "
                    + $"vs truth: input {Fmt.Delta(d.Input)}, output {Fmt.Delta(d.Output)}, cacheCreate {Fmt.Delta(d.CacheCreation)}, "
                    + $"cacheRead {Fmt.Delta(d.CacheRead)}, $ {Fmt.Delta(r.TotalCost - run.TruthCost, 4)}");
            }
        }
    }

    private static string Verdict(bool present, bool matches) => !present ? "-" : matches ? "=" : "≠";
}
