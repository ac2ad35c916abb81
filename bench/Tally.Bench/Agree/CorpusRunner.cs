using Tally.Bench.Reports;
using Tally.Bench.Tools;
using Tally.Bench.Truth;
using Tally.Core.Pricing;
using Tally.Ingest.Demo;

namespace Tally.Bench.Agree;

/// <summary>Generates one corpus, scans it for the ground truth, and runs each tool's <c>daily</c> on it in its own sandbox.</summary>
internal static class CorpusRunner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static CorpusRun Run(string name, CorpusOptions options, string workDir, IReadOnlyList<ReportTool> tools, TextWriter log)
    {
        string dir = Path.Combine(workDir, name);
        log.WriteLine($"agree: generating the {name} corpus ({options.TargetBytes / 1_000_000.0:0.#} MB) in {dir}");
        CorpusSummary summary = new CorpusGenerator().Write(dir, options);
        using (var summaryFile = new StreamWriter(Path.Combine(workDir, $"{name}.summary.json")))
        {
            SummaryJson.Write(summaryFile, summary, TimeSpan.Zero);
        }

        var run = new CorpusRun
        {
            Name = name,
            Directory = dir,
            Summary = summary,
            Truth = TruthBook.Build(CorpusScanner.Scan(dir), PriceCatalog.Embedded),
        };
        foreach (ReportTool tool in tools)
        {
            UsageReport? report = RunTool(tool, run, workDir, log);
            if (tool is TallyTool)
            {
                run.Tally = report;
            }
            else
            {
                run.Ccusage = report;
            }
        }

        return run;
    }

    private static UsageReport? RunTool(ReportTool tool, CorpusRun run, string workDir, TextWriter log)
    {
        using var sandbox = new Sandbox(run.Directory, workDir);
        var result = tool.Run("daily", sandbox, Timeout);
        log.WriteLine($"agree: {tool.Describe("daily")} on {run.Name}: exit {result.ExitCode} in {result.Wall.TotalSeconds:0.00} s");
        File.WriteAllText(Path.Combine(workDir, $"{run.Name}.{tool.Name}.daily.json"), result.Stdout);
        if (!result.Succeeded)
        {
            run.Errors.Add($"{tool.Name} failed on {run.Name} (exit {result.ExitCode}{(result.TimedOut ? ", timed out" : "")}): {result.StderrHead()}");
            return null;
        }

        try
        {
            return ReportParser.Parse(result.Stdout);
        }
        catch (FormatException e)
        {
            run.Errors.Add($"{tool.Name} printed no usable daily report on {run.Name}: {e.Message}");
            return null;
        }
    }
}
