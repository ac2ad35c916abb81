using Tally.Bench.Common;

namespace Tally.Bench.Agree;

/// <summary>Prints both corpora's tables and the verdict: agreement on the peer-comparable corpus decides the exit code.</summary>
internal static class AgreeReport
{
    public static bool Print(TextWriter o, CorpusRun comparable, CorpusRun full)
    {
        DiffTable.Print(o, comparable, null);
        IReadOnlyList<Truth.TruthDay> truth = full.Truth;
        DiffTable.Print(o, full, d => Explainer.Explain(d, truth.LastOrDefault(t => t.Day < DateOnly.Parse(d.Date, System.Globalization.CultureInfo.InvariantCulture))));
        o.WriteLine();
        foreach (string error in comparable.Errors.Concat(full.Errors))
        {
            o.WriteLine($"error: {error}");
        }

        foreach (CorpusRun run in new[] { comparable, full })
        {
            IReadOnlyList<string> off = run.LedgerMismatches();
            o.WriteLine(off.Count == 0
                ? $"ground truth ({run.Name}): the harness's scan matches the generator's ledger on every day"
                : $"WARNING ground truth ({run.Name}): the harness's scan differs from the generator's ledger on {string.Join(", ", off)}");
        }

        bool pass = Verdict(comparable, out string verdict);
        o.WriteLine($"peer-comparable: {verdict}");
        o.WriteLine($"full: {TruthLine(full)}");
        return pass;
    }

    /// <summary>With both tools: identical tokens (every day and the totals) and each day's cost within half a cent.
    /// With one tool: that tool against the ground truth by the same rule.</summary>
    private static bool Verdict(CorpusRun run, out string text)
    {
        if (run.Errors.Count > 0 || (run.Tally is null && run.Ccusage is null))
        {
            text = "FAIL (a tool did not produce a report)";
            return false;
        }

        IReadOnlyList<DayDiff> days = run.Days;
        List<DayDiff> bad = run.Tally is not null && run.Ccusage is not null
            ? [.. days.Where(static d => !d.PeersAgree)]
            : [.. days.Where(d => run.Tally is not null ? !d.TallyMatchesTruth : !d.CcusageMatchesTruth)];
        bool totals = run.Tally is null || run.Ccusage is null || (run.Tally.Totals - run.Ccusage.Totals).IsZero;
        string who = run.Tally is not null && run.Ccusage is not null ? "Tally and ccusage" : (run.Tally is not null ? "Tally" : "ccusage") + " and the ground truth";
        text = bad.Count == 0 && totals
            ? $"PASS — {who} agree on all {days.Count} days (tokens identical, cost within ${DayDiff.CostTolerance}); {TruthLine(run)}"
            : $"FAIL — {who} differ on {bad.Count} of {days.Count} days: {string.Join(", ", bad.Select(static d => d.Date))}"
                + (totals ? "" : "; token totals differ") + $"; {TruthLine(run)}";
        return bad.Count == 0 && totals;
    }

    private static string TruthLine(CorpusRun run)
    {
        string Line(string name, Func<DayDiff, bool> matches) =>
            $"{name} matches the ground truth on {run.Days.Count(matches)} of {run.Days.Count} days";
        var parts = new List<string>();
        if (run.Tally is not null)
        {
            parts.Add(Line("Tally", static d => d.TallyMatchesTruth));
        }

        if (run.Ccusage is not null)
        {
            parts.Add(Line("ccusage", static d => d.CcusageMatchesTruth));
        }

        return string.Join("; ", parts) + Fmt.Inv0($" (truth: {run.TruthTotals.Total:#,0} tokens, ${run.TruthCost:0.0000})");
    }
}
