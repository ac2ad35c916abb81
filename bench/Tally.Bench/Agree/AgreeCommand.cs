using Tally.Bench.Common;
using Tally.Bench.Tools;
using Tally.Ingest.Demo;

namespace Tally.Bench.Agree;

/// <summary>
/// <c>agree</c>: runs Tally and ccusage on a peer-comparable corpus (they must agree exactly) and on the full corpus
/// (every difference explained per day), both checked against a ground truth scanned from the corpus itself.
/// </summary>
internal static class AgreeCommand
{
    public const string Usage = """
        usage: tally-bench agree --tally PATH --ccusage PATH [options]
          Generates a peer-comparable corpus and a full corpus, runs `daily --json` of both tools on each (isolated
          HOME and data dirs), prints per-day differences, and explains those on the full corpus.
          Exit 0 when, on the peer-comparable corpus, tokens are identical and every day's cost agrees within $0.005.

          --tally PATH       the tally executable (dotnet publish src/Tally.Cli -c Release -o DIR gives DIR/tally)
          --ccusage PATH     ccusage's native binary (bench/install-peers.sh prints it); omit either to check one tool
                             against the ground truth only (then the exit code is that tool's agreement with it)
          --size SIZE        corpus size (default 20MB)
          --seed N           generator seed (default 1)
          --end-day DAY      last day of history, YYYY-MM-DD (default 2026-11-20, so figures are reproducible)
          --keep DIR         write corpora, summaries and raw reports to DIR and keep them (default: a temp dir, deleted)
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        BenchArgs a;
        try
        {
            a = BenchArgs.Parse(args, ["--tally", "--ccusage", "--size", "--seed", "--end-day", "--keep"], []);
            var options = new CorpusOptions
            {
                EndDay = a.Day("--end-day", new DateOnly(2026, 11, 20)),
                TargetBytes = a.Size("--size", "20MB"),
                Seed = a.Int("--seed", 1),
            };
            List<ReportTool> tools = Tools(a);
            return tools.Count == 0 ? Fail(stderr, "give --tally PATH, --ccusage PATH or both") : Execute(options, tools, a.Value("--keep"), stdout, stderr);
        }
        catch (FormatException e)
        {
            return Fail(stderr, e.Message);
        }
    }

    public static int Execute(CorpusOptions options, IReadOnlyList<ReportTool> tools, string? keep, TextWriter stdout, TextWriter stderr)
    {
        string work = keep ?? Path.Combine(Path.GetTempPath(), $"tally-bench-agree-{Guid.NewGuid():N}"[..30]);
        if (Directory.Exists(work) && Directory.EnumerateFileSystemEntries(work).Any())
        {
            return Fail(stderr, $"'{work}' is not empty");
        }

        Directory.CreateDirectory(work);
        try
        {
            CorpusRun comparable = CorpusRunner.Run("peer-comparable", options.WithoutPeerBlindSpots(), work, tools, stderr);
            CorpusRun full = CorpusRunner.Run("full", options, work, tools, stderr);
            return AgreeReport.Print(stdout, comparable, full) ? 0 : 1;
        }
        finally
        {
            if (keep is null)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static List<ReportTool> Tools(BenchArgs a)
    {
        var tools = new List<ReportTool>();
        if (a.Value("--tally") is { } tally)
        {
            tools.Add(File.Exists(tally) ? new TallyTool(tally) : throw new FormatException($"--tally: no file '{tally}'"));
        }

        if (a.Value("--ccusage") is { } ccusage)
        {
            tools.Add(File.Exists(ccusage) ? new CcusageTool(ccusage) : throw new FormatException($"--ccusage: no file '{ccusage}'"));
        }

        return tools;
    }

    private static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine($"{message}\n\n{Usage}");
        return 2;
    }
}
