using Tally.Bench.Common;
using Tally.Bench.Tools;
using Tally.Ingest.Demo;

namespace Tally.Bench.Speed;

/// <summary><c>speed</c>: Tally (cold, warm, incremental, every report) against ccusage on one corpus, in one run.</summary>
internal static class SpeedCommand
{
    public const string Usage = """
        usage: tally-bench speed --tally PATH [--ccusage PATH] [options]
          Generates (or reuses) a full corpus, reads it once to warm the page cache, then measures ccusage's
          daily/weekly/monthly/session/daily --instances and Tally's daily cold (empty index), daily warm, every warm
          report, and daily after appending new history. Prints medians, min/max, peak RSS and tally/ccusage ratios.
          Exit 1 when a Tally run fails or a check fails (warm reports' totals = daily's; growth after an append).

          --tally PATH        the tally executable
          --ccusage PATH      ccusage's native binary (omit to measure Tally alone)
          --size SIZE         corpus size when generating (default 1GB)
          --corpus DIR        generate into DIR and keep it, or reuse DIR when it already holds a corpus
                              (default: a temp dir, deleted afterwards)
          --repeat N          runs per measurement (default 5)
          --append SIZE       new history per append run (default 1MB)
          --seed N            generator seed (default 1)
          --json              JSON on stdout instead of the table
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            BenchArgs a = BenchArgs.Parse(args, ["--tally", "--ccusage", "--size", "--corpus", "--repeat", "--append", "--seed"], ["--json"]);
            string tally = a.Value("--tally") ?? throw new FormatException("--tally is required");
            string? ccusage = a.Value("--ccusage");
            var options = new CorpusOptions { EndDay = new DateOnly(2026, 11, 20), TargetBytes = a.Size("--size", "1GB"), Seed = a.Int("--seed", 1) };
            return Execute(new TallyTool(File.Exists(tally) ? tally : throw new FormatException($"--tally: no file '{tally}'")),
                ccusage is null ? null : new CcusageTool(File.Exists(ccusage) ? ccusage : throw new FormatException($"--ccusage: no file '{ccusage}'")),
                options, a.Value("--corpus"), a.Int("--repeat", 5), a.Size("--append", "1MB"), a.Flag("--json"), stdout, stderr);
        }
        catch (FormatException e)
        {
            stderr.WriteLine($"{e.Message}\n\n{Usage}");
            return 2;
        }
    }

    public static int Execute(TallyTool tally, CcusageTool? ccusage, CorpusOptions options, string? corpusDir, int repeat, long appendBytes,
        bool json, TextWriter stdout, TextWriter stderr)
    {
        string dir = corpusDir ?? Path.Combine(Path.GetTempPath(), $"tally-bench-speed-{Guid.NewGuid():N}"[..30]);
        try
        {
            SpeedCorpus corpus = SpeedCorpus.Prepare(dir, options, stderr);
            SpeedResult result = new SpeedRunner(corpus, tally, ccusage, repeat, appendBytes, stderr).Run();
            if (json)
            {
                SpeedJson.Write(stdout, result);
            }
            else
            {
                SpeedReport.Print(stdout, result);
            }

            return result.Passed ? 0 : 1;
        }
        finally
        {
            if (corpusDir is null && Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
