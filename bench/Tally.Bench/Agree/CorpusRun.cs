using Tally.Bench.Reports;
using Tally.Bench.Truth;
using Tally.Ingest.Demo;

namespace Tally.Bench.Agree;

/// <summary>One corpus of an <c>agree</c> run: what was generated, the ground truth, and both tools' daily reports.</summary>
internal sealed class CorpusRun
{
    public required string Name { get; init; }

    public required string Directory { get; init; }

    public required CorpusSummary Summary { get; init; }

    public required IReadOnlyList<TruthDay> Truth { get; init; }

    public UsageReport? Tally { get; set; }

    public UsageReport? Ccusage { get; set; }

    /// <summary>Failures of a tool (did not run, exited non-zero, printed something that is not a report).</summary>
    public List<string> Errors { get; } = [];

    public IReadOnlyList<DayDiff> Days => DayDiff.Join(Truth, Tally, Ccusage);

    public Tokens4 TruthTotals => Truth.Aggregate(default(Tokens4), static (sum, d) => sum + d.Tokens);

    public decimal TruthCost => Truth.Sum(static d => d.Cost);

    /// <summary>Days where the scanned ground truth's tokens differ from the generator's own ledger (should be none:
    /// it checks the harness's scanner before anything is judged by it).</summary>
    public IReadOnlyList<string> LedgerMismatches()
    {
        var ledger = Summary.Expected.GroupBy(static e => e.Day)
            .ToDictionary(static g => g.Key, static g => g.Aggregate(default(Tokens4), static (s, e) => s + TruthBook.ToTokens4(e.Tokens)));
        return [.. ledger.Keys.Union(Truth.Select(static t => t.Day))
            .Where(d => ledger.GetValueOrDefault(d) != (Truth.FirstOrDefault(t => t.Day == d)?.Tokens ?? default))
            .Order()
            .Select(static d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))];
    }
}
