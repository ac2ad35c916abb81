using System.Globalization;
using System.Text.Json;
using Tally.Bench.Common;
using Tally.Bench.Speed;
using Tally.Bench.Tools;

namespace Tally.Bench.Scale;

/// <summary>
/// <c>scale</c>: the index at a million records. One cold sync of a large corpus, then every report over its last 30
/// days, warm, with and without the sync's check of the transcripts; and the index file's size per record.
/// </summary>
internal static class ScaleCommand
{
    public const string Usage = """
        usage: tally-bench scale --tally PATH --corpus DIR [options]
          Syncs DIR into an empty index once (timed), then times every report over the last 30 days of history
          (`--since`/`--until`), warm: as a user runs it (the sync checks every transcript for growth first) and with
          --no-sync (the index alone). Prints medians and maxima, the record count and the index's bytes per record.
          Make a million-record corpus with: generate --out DIR --size 3900MB --lean --days 365
          Exit 1 when a run fails.

          --tally PATH        the tally executable
          --corpus DIR        a Claude Code data directory (DIR/projects/...)
          --repeat N          runs per report (default 7)
          --keep DIR          keep the index in DIR (reused when it already holds one: no cold sync)
        """;

    private static readonly string[] Reports = ["daily", "weekly", "monthly", "session", "projects", "models"];
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        BenchArgs a;
        string tally, corpus;
        try
        {
            a = BenchArgs.Parse(args, ["--tally", "--corpus", "--repeat", "--keep"], []);
            tally = a.ExistingFile("--tally", "the tally executable");
            corpus = a.CorpusDirectory("--corpus");
        }
        catch (FormatException e)
        {
            stderr.WriteLine($"{e.Message}\n\n{Usage}");
            return 2;
        }

        var repeat = a.Int("--repeat", 7);
        using var box = new Sandbox(corpus);
        var dataDir = box.DataDir;
        if (a.Value("--keep") is { } keep)
        {
            Directory.CreateDirectory(keep);
            dataDir = Path.GetFullPath(keep);
        }

        var env = box.Environment();
        env["TALLY_DATA_DIR"] = dataDir;
        var index = Path.Combine(dataDir, "index.db");
        stdout.WriteLine(Fmt.Inv0($"load average before: {Machine.LoadAverage()}"));
        if (!File.Exists(index))
        {
            var cold = ProcessRunner.Run(new ProcessSpec(tally, ["sync"], env), Timeout);
            if (!cold.Succeeded)
            {
                stderr.WriteLine($"cold sync failed ({cold.ExitCode}): {cold.StderrHead()}");
                return 1;
            }

            stdout.WriteLine(Fmt.Inv0($"cold sync: {Fmt.Seconds(cold.Wall.TotalSeconds)} s, peak RSS {Fmt.Mb(cold.PeakRssBytes)} MB"));
        }

        var all = ProcessRunner.Run(new ProcessSpec(tally, ["daily", "--json", "--no-sync", "--timezone", "UTC"], env), Timeout);
        if (!all.Succeeded)
        {
            stderr.WriteLine($"daily failed ({all.ExitCode}): {all.StderrHead()}");
            return 1;
        }

        using var totals = JsonDocument.Parse(all.Stdout);
        var records = totals.RootElement.GetProperty("totals").GetProperty("requests").GetInt64();
        var last = DateTimeOffset.Parse(totals.RootElement.GetProperty("totals").GetProperty("lastActivity").GetString()!, CultureInfo.InvariantCulture);
        var until = DateOnly.FromDateTime(last.UtcDateTime);
        var since = until.AddDays(-29);
        long bytes = new[] { index, index + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
        stdout.WriteLine(Fmt.Inv0($"records: {Fmt.Count(records)}; index: {Fmt.Count(bytes)} bytes = {bytes / (double)records:0} bytes per record"));
        stdout.WriteLine(Fmt.Inv0($"window: {since:yyyy-MM-dd} .. {until:yyyy-MM-dd} (30 days), {repeat} runs each, seconds"));
        stdout.WriteLine();
        stdout.WriteLine("| report (30 days) | warm, with sync: median | max | warm, --no-sync: median | max | peak RSS MB |");
        stdout.WriteLine("|---|---|---|---|---|---|");
        var failed = false;
        foreach (var report in Reports)
        {
            string[] arguments = [report, "--json", "--timezone", "UTC", "--since", since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--until", until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)];
            var synced = Measure(new ProcessSpec(tally, arguments, env), repeat);
            var indexOnly = Measure(new ProcessSpec(tally, [.. arguments, "--no-sync"], env), repeat);
            failed |= !synced.AllSucceeded || !indexOnly.AllSucceeded;
            stdout.WriteLine(Fmt.Inv0($"| {report} | {Fmt.Seconds(synced.Median)} | {Fmt.Seconds(synced.Max)} | {Fmt.Seconds(indexOnly.Median)} | {Fmt.Seconds(indexOnly.Max)} | {Fmt.Mb(indexOnly.MedianRss)} |"));
        }

        stdout.WriteLine();
        stdout.WriteLine(Fmt.Inv0($"load average after: {Machine.LoadAverage()}"));
        return failed ? 1 : 0;
    }

    private static Measurement Measure(ProcessSpec spec, int repeat)
    {
        var m = new Measurement("scale", "tally", "", spec.ToString());
        for (var i = 0; i < repeat; i++)
        {
            m.Runs.Add(ProcessRunner.Run(spec, Timeout));
        }

        return m;
    }
}
