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
          --serve             also time every report while `tally serve` watches the corpus (the reports then ask it
                              whether the index is current instead of checking every transcript)
        """;

    private static readonly string[] Reports = ["daily", "weekly", "monthly", "session", "projects", "models"];
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        BenchArgs a;
        string tally, corpus;
        try
        {
            a = BenchArgs.Parse(args, ["--tally", "--corpus", "--repeat", "--keep"], ["--serve"]);
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
        var rows = new List<(string Report, Measurement Synced, Measurement IndexOnly)>();
        var failed = false;
        foreach (var report in Reports)
        {
            var arguments = Arguments(report, since, until);
            var synced = Measure(new ProcessSpec(tally, arguments, env), repeat);
            var indexOnly = Measure(new ProcessSpec(tally, [.. arguments, "--no-sync"], env), repeat);
            failed |= !synced.AllSucceeded || !indexOnly.AllSucceeded;
            rows.Add((report, synced, indexOnly));
        }

        var watched = new Dictionary<string, Measurement>(StringComparer.Ordinal);
        if (a.Flag("--serve"))
        {
            // Every other column is timed before the server starts: with it running, those runs would ask it too.
            using var server = Serve(tally, env, stderr);
            if (server is null)
            {
                return 1;
            }

            foreach (var report in Reports)
            {
                var m = Measure(new ProcessSpec(tally, Arguments(report, since, until), env), repeat);
                failed |= !m.AllSucceeded;
                watched[report] = m;
            }

            server.Stop();
        }

        var serving = watched.Count > 0;
        stdout.WriteLine(serving
            ? "| report (30 days) | warm, with sync: median | max | warm, --no-sync: median | max | warm, `tally serve` watching: median | max | peak RSS MB |"
            : "| report (30 days) | warm, with sync: median | max | warm, --no-sync: median | max | peak RSS MB |");
        stdout.WriteLine(serving ? "|---|---|---|---|---|---|---|---|" : "|---|---|---|---|---|---|");
        foreach (var (report, synced, indexOnly) in rows)
        {
            var served = watched.TryGetValue(report, out var w) ? Fmt.Inv0($" {Fmt.Seconds(w.Median)} | {Fmt.Seconds(w.Max)} |") : "";
            stdout.WriteLine(Fmt.Inv0($"| {report} | {Fmt.Seconds(synced.Median)} | {Fmt.Seconds(synced.Max)} | {Fmt.Seconds(indexOnly.Median)} | {Fmt.Seconds(indexOnly.Max)} |{served} {Fmt.Mb(indexOnly.MedianRss)} |"));
        }

        stdout.WriteLine();
        stdout.WriteLine(Fmt.Inv0($"load average after: {Machine.LoadAverage()}"));
        return failed ? 1 : 0;
    }

    private static string[] Arguments(string report, DateOnly since, DateOnly until) =>
        [report, "--json", "--timezone", "UTC", "--since", since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--until", until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)];

    /// <summary>Starts <c>tally serve</c> over the run's corpus and index, and waits until it says it vouches for the
    /// index; null (with the reason on stderr) when it does not within the timeout.</summary>
    private static WatchingServer? Serve(string tally, Dictionary<string, string> env, TextWriter stderr)
    {
        var start = new System.Diagnostics.ProcessStartInfo(tally) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "serve", "--port", "0" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in env)
        {
            start.Environment[name] = value;
        }

        var server = new WatchingServer(System.Diagnostics.Process.Start(start)!);
        if (server.WaitUntilVouching(Timeout))
        {
            return server;
        }

        stderr.WriteLine($"tally serve never said it vouches for the index: {server.Log}");
        server.Dispose();
        return null;
    }

    /// <summary>A running <c>tally serve</c>: its log is collected, and it is stopped with SIGINT (so it removes its
    /// socket) or killed.</summary>
    private sealed class WatchingServer(System.Diagnostics.Process process) : IDisposable
    {
        private readonly System.Text.StringBuilder _log = new();
        private readonly ManualResetEventSlim _vouching = new();
        private bool _reading;

        public string Log
        {
            get
            {
                lock (_log)
                {
                    return _log.ToString();
                }
            }
        }

        public bool WaitUntilVouching(TimeSpan timeout)
        {
            if (!_reading)
            {
                _reading = true;
                process.OutputDataReceived += (_, e) => Note(e.Data);
                process.ErrorDataReceived += (_, e) => Note(e.Data);
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
            }

            return _vouching.Wait(timeout);
        }

        public void Stop()
        {
            if (!process.HasExited)
            {
                _ = Interrupt(process.Id, 2);
                if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
                {
                    process.Kill(entireProcessTree: true);
                }
            }

            process.WaitForExit();
        }

        public void Dispose()
        {
            Stop();
            process.Dispose();
            _vouching.Dispose();
        }

        private void Note(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_log)
            {
                _log.AppendLine(line);
            }

            if (line.Contains("commands ask this server", StringComparison.Ordinal))
            {
                _vouching.Set();
            }
        }

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
        private static extern int Interrupt(int pid, int signal);
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
