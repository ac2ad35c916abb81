using System.Globalization;
using System.Text.Json;
using Tally.Bench.Common;
using Tally.Bench.Speed;
using Tally.Bench.Tools;

namespace Tally.Bench.StatusLine;

/// <summary>
/// <c>statusline</c>: the latency of one status-line render with a corpus indexed, Tally beside ccusage, on the same
/// input: Claude Code's status-line JSON for the corpus's largest session, as Claude Code sends it on each update.
/// </summary>
internal static class StatusLineCommand
{
    public const string Usage = """
        usage: tally-bench statusline --tally PATH --corpus DIR [--ccusage PATH] [options]
          Indexes DIR once (tally sync, not timed), then renders the status line for the corpus's largest session
          N times in a row with Claude Code's JSON on stdin, and prints p50, p95 and max per render: Tally, and
          ccusage's `statusline` with its 1-second output cache (as it runs by default) and with --no-cache.
          Exit 1 when a render fails or prints no line.

          --tally PATH        the tally executable
          --ccusage PATH      ccusage's native binary (omit to measure Tally alone)
          --corpus DIR        a Claude Code data directory (DIR/projects/...)
          --renders N         renders per tool (default 40)
          --peer-renders N    ccusage renders without its cache (default 10: each re-reads history)
        """;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        BenchArgs a;
        string tally, corpus;
        try
        {
            a = BenchArgs.Parse(args, ["--tally", "--ccusage", "--corpus", "--renders", "--peer-renders"], []);
            tally = a.ExistingFile("--tally", "the tally executable");
            corpus = a.CorpusDirectory("--corpus");
        }
        catch (FormatException e)
        {
            stderr.WriteLine($"{e.Message}\n\n{Usage}");
            return 2;
        }

        var ccusage = a.Value("--ccusage") is { } p ? Path.GetFullPath(p) : null;
        var renders = a.Int("--renders", 40);
        var peerRenders = a.Int("--peer-renders", 10);
        using var box = new Sandbox(corpus);
        var env = box.Environment();
        var input = Input(box.CorpusDir);
        stdout.WriteLine(Fmt.Inv0($"load average before: {Machine.LoadAverage()}"));
        var sync = ProcessRunner.Run(new ProcessSpec(tally, ["sync"], env), Timeout);
        if (!sync.Succeeded)
        {
            stderr.WriteLine($"tally sync failed ({sync.ExitCode}): {sync.StderrHead()}");
            return 1;
        }

        var rows = new List<(string Label, Measurement M)>
        {
            ("tally statusline", Measure(new ProcessSpec(tally, ["statusline"], env) { Stdin = input }, renders)),
        };
        if (ccusage is not null)
        {
            rows.Add(("ccusage statusline (1 s output cache, default)", Measure(new ProcessSpec(ccusage, ["statusline", "--offline"], env) { Stdin = input }, renders)));
            rows.Add(("ccusage statusline --no-cache", Measure(new ProcessSpec(ccusage, ["statusline", "--offline", "--no-cache"], env) { Stdin = input }, peerRenders)));
        }

        stdout.WriteLine(Fmt.Inv0($"session: {JsonDocument.Parse(input).RootElement.GetProperty("session_id").GetString()}; tally sync {Fmt.Seconds(sync.Wall.TotalSeconds)} s"));
        stdout.WriteLine();
        stdout.WriteLine("| renderer | renders | p50 ms | p95 ms | max ms | peak RSS MB | a line it printed |");
        stdout.WriteLine("|---|---|---|---|---|---|---|");
        var failed = false;
        foreach (var (label, m) in rows)
        {
            var line = m.Runs.Select(static r => r.Stdout.Split('\n')[0].Trim()).LastOrDefault() ?? "";
            failed |= !m.AllSucceeded || m.Runs.Any(static r => r.Stdout.Trim().Length == 0);
            stdout.WriteLine(Fmt.Inv0($"| {label} | {m.Runs.Count} | {Ms(Percentile(m, 0.5))} | {Ms(Percentile(m, 0.95))} | {Ms(m.Max)} | {Fmt.Mb(m.MedianRss)} | `{line}` |"));
        }

        stdout.WriteLine();
        stdout.WriteLine(Fmt.Inv0($"load average after: {Machine.LoadAverage()}"));
        return failed ? 1 : 0;
    }

    private static string Ms(double seconds) => (seconds * 1000).ToString("0", CultureInfo.InvariantCulture);

    private static double Percentile(Measurement m, double q)
    {
        double[] sorted = [.. m.Seconds.Order()];
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static Measurement Measure(ProcessSpec spec, int renders)
    {
        var m = new Measurement("statusline", "", "", spec.ToString());
        for (var i = 0; i < renders; i++)
        {
            m.Runs.Add(ProcessRunner.Run(spec, Timeout));
        }

        return m;
    }

    /// <summary>Claude Code's status-line input for the corpus's largest main-session transcript.</summary>
    private static string Input(string corpus)
    {
        var transcript = Directory.EnumerateFiles(Path.Combine(corpus, "projects"), "*.jsonl", SearchOption.AllDirectories)
            .Where(static f => !f.Contains("/subagents/", StringComparison.Ordinal))
            .OrderByDescending(static f => new FileInfo(f).Length).ThenBy(static f => f, StringComparer.Ordinal).First();
        string? cwd = null, model = null;
        foreach (var line in File.ReadLines(transcript))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            cwd ??= root.TryGetProperty("cwd", out var c) ? c.GetString() : null;
            if (model is null && root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object && m.TryGetProperty("model", out var id))
            {
                model = id.GetString();
            }

            if (cwd is not null && model is not null)
            {
                break;
            }
        }

        var resets = DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeSeconds();
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["hook_event_name"] = "Status",
            ["session_id"] = Path.GetFileNameWithoutExtension(transcript),
            ["transcript_path"] = transcript,
            ["cwd"] = cwd,
            ["model"] = new Dictionary<string, object?> { ["id"] = model, ["display_name"] = model },
            ["workspace"] = new Dictionary<string, object?> { ["current_dir"] = cwd, ["project_dir"] = cwd },
            ["version"] = "2.0.31",
            ["cost"] = new Dictionary<string, object?> { ["total_cost_usd"] = 1.23, ["total_duration_ms"] = 600000 },
            ["context_window"] = new Dictionary<string, object?>
            {
                ["total_input_tokens"] = 82012,
                ["total_output_tokens"] = 300,
                ["context_window_size"] = 200000,
                ["current_usage"] = new Dictionary<string, object?> { ["input_tokens"] = 12, ["output_tokens"] = 300, ["cache_creation_input_tokens"] = 2000, ["cache_read_input_tokens"] = 80000 },
            },
            ["rate_limits"] = new Dictionary<string, object?>
            {
                ["five_hour"] = new Dictionary<string, object?> { ["used_percentage"] = 42, ["resets_at"] = resets },
                ["seven_day"] = new Dictionary<string, object?> { ["used_percentage"] = 17, ["resets_at"] = resets + (3 * 86400) },
            },
        });
    }
}
