using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Playwright;
using Tally.Bench.Common;
using Tally.Bench.Tools;

namespace Tally.Bench.Dashboard;

/// <summary>
/// <c>dashboard</c>: the dashboard's first meaningful render in headless Chromium — from navigation start to the
/// page's <c>tally:first-meaningful-render</c> mark (cards, cost chart, model and project breakdowns and sessions drawn
/// with the API's data) — and its complete render (<c>tally:first-render</c>: every widget drawn), against
/// <c>tally serve</c> over a given index.
/// </summary>
internal static class DashboardCommand
{
    public const string Usage = """
        usage: tally-bench dashboard --tally PATH (--data-dir DIR | --corpus DIR) [options]
          Starts `tally serve --no-sync --read-only` over an index, opens the dashboard in headless Chromium RUNS
          times (a fresh browser context each time: nothing cached), and prints, per run and as median / p95 / max,
          the time from navigation start to the page's `tally:first-meaningful-render` mark (cards, cost chart,
          breakdowns and sessions drawn) and to its `tally:first-render` mark (every widget drawn), with the slowest
          API request of the run. One warm-up load first (not counted). Exit 1 when a load fails.

          --tally PATH        the tally executable
          --data-dir DIR      Tally's data directory holding the index to serve (index.db), e.g. a million-record one
          --corpus DIR        or: a Claude Code data directory, indexed first (tally sync, not timed) into a scratch one
          --runs N            measured loads (default 15)
          --chromium PATH     the browser (default /usr/bin/chromium; Playwright never downloads one)
          --hash TEXT         the page's filters, e.g. "range=7d" (default: the page's own, the last 30 days)
          --live N            with --corpus: then N times, append a call for a new session to a transcript (in a
                              scratch folder served beside the corpus) and time until the open page shows that session
                              (serve then keeps the index in sync: watcher, sync, event, reload — an upper bound on
                              the page's part)
        """;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        BenchArgs a;
        string tally;
        try
        {
            a = BenchArgs.Parse(args, ["--tally", "--data-dir", "--corpus", "--runs", "--chromium", "--hash", "--live"], []);
            tally = a.ExistingFile("--tally", "the tally executable");
            if ((a.Value("--data-dir") is null) == (a.Value("--corpus") is null))
            {
                throw new FormatException("give one of --data-dir and --corpus");
            }

            if (a.Value("--live") is not null && a.Value("--corpus") is null)
            {
                throw new FormatException("--live needs --corpus (the server must keep the index in sync)");
            }

            if (a.Value("--data-dir") is { } d && !File.Exists(Path.Combine(d, "index.db")))
            {
                throw new FormatException($"--data-dir: no index.db in {d}");
            }
        }
        catch (FormatException e)
        {
            stderr.WriteLine($"{e.Message}\n\n{Usage}");
            return 2;
        }

        try
        {
            return RunAsync(a, tally, stdout, stderr).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or IOException or InvalidOperationException)
        {
            stderr.WriteLine($"dashboard: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> RunAsync(BenchArgs a, string tally, TextWriter stdout, TextWriter stderr)
    {
        var runs = a.Int("--runs", 15);
        var chromium = a.Value("--chromium", "/usr/bin/chromium");
        var hash = a.Value("--hash") is { } h ? "#" + h.TrimStart('#') : string.Empty;
        using var box = new Sandbox(a.Value("--corpus") ?? Path.GetTempPath());
        var env = box.Environment();
        string dataDir;
        var live = a.Value("--live") is null ? 0 : a.Int("--live", 1);
        var liveRoot = Path.Combine(box.Root, "live-claude");
        if (live > 0)
        {
            Directory.CreateDirectory(Path.Combine(liveRoot, "projects", LiveFolder));
            env["CLAUDE_CONFIG_DIR"] = box.CorpusDir + "," + liveRoot;
        }

        if (a.Value("--corpus") is not null)
        {
            var sync = ProcessRunner.Run(new ProcessSpec(tally, ["sync"], env), Timeout);
            if (!sync.Succeeded)
            {
                stderr.WriteLine($"tally sync failed ({sync.ExitCode}): {sync.StderrHead()}");
                return 1;
            }

            dataDir = box.DataDir;
        }
        else
        {
            dataDir = Path.GetFullPath(a.Value("--data-dir")!);
            env["CLAUDE_CONFIG_DIR"] = Path.Combine(box.Root, "no-claude"); // serve nothing but the given index
        }

        stdout.WriteLine(Fmt.Inv0($"load average before: {Machine.LoadAverage()}"));
        var port = FreePort();
        using var server = StartServer(tally, dataDir, port, env, sync: live > 0);
        try
        {
            var address = new Uri($"http://127.0.0.1:{port}/");
            await WaitForServerAsync(address, server);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });

            var warmUp = await LoadAsync(browser, new Uri(address, "/" + hash));
            stdout.WriteLine(Fmt.Inv0($"index: {Path.Combine(dataDir, "index.db")} ({Fmt.Mb(new FileInfo(Path.Combine(dataDir, "index.db")).Length)} MB); page: {address}{hash}"));
            stdout.WriteLine(Fmt.Inv0($"warm-up load: {warmUp.MeaningfulMs:0} ms meaningful, {warmUp.CompleteMs:0} ms complete (not counted)"));
            stdout.WriteLine();
            stdout.WriteLine("| run | meaningful render ms | complete render ms | DOMContentLoaded ms | API requests | slowest API request |");
            stdout.WriteLine("|---|---|---|---|---|---|");
            var results = new List<Load>();
            for (var i = 1; i <= runs; i++)
            {
                var load = await LoadAsync(browser, new Uri(address, "/" + hash));
                results.Add(load);
                stdout.WriteLine(Fmt.Inv0($"| {i} | {load.MeaningfulMs:0} | {load.CompleteMs:0} | {load.DomContentLoadedMs:0} | {load.ApiRequests} | {load.SlowestMs:0} ms `{load.Slowest}` |"));
            }

            stdout.WriteLine();
            foreach (var (name, of) in new (string, Func<Load, double>)[] { ("first meaningful render", static r => r.MeaningfulMs), ("complete render", static r => r.CompleteMs) })
            {
                double[] sorted = [.. results.Select(of).Order()];
                stdout.WriteLine(Fmt.Inv0($"{name} over {runs} loads: median {Percentile(sorted, 0.5):0} ms, p95 {Percentile(sorted, 0.95):0} ms, min {sorted[0]:0} ms, max {sorted[^1]:0} ms"));
            }
            if (live > 0)
            {
                await MeasureLiveAsync(browser, address, Path.Combine(liveRoot, "projects", LiveFolder), live, stdout);
            }

            stdout.WriteLine(Fmt.Inv0($"load average after: {Machine.LoadAverage()}"));
            return 0;
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }
        }
    }

    private sealed record Load(double MeaningfulMs, double CompleteMs, double DomContentLoadedMs, int ApiRequests, double SlowestMs, string Slowest);

    /// <summary>One load in a fresh context (no cache), up to the page's first-render mark.</summary>
    private static async Task<Load> LoadAsync(IBrowser browser, Uri page)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var tab = await context.NewPageAsync();
        await tab.GotoAsync(page.ToString());
        await tab.WaitForFunctionAsync("() => document.documentElement.dataset.ready === '1' || document.documentElement.dataset.error", null, new PageWaitForFunctionOptions { Timeout = (float)Timeout.TotalMilliseconds });
        var figures = await tab.EvaluateAsync<JsonElement>(
            """
            () => {
              const d = document.documentElement.dataset;
              const mark = performance.getEntriesByName("tally:first-render")[0];
              const meaningful = performance.getEntriesByName("tally:first-meaningful-render")[0];
              const nav = performance.getEntriesByType("navigation")[0];
              const api = performance.getEntriesByType("resource").filter(r => new URL(r.name).pathname.startsWith("/api/") && r.responseEnd <= mark?.startTime + 1);
              const slowest = api.reduce((a, b) => (b.duration > (a?.duration ?? -1) ? b : a), null);
              return { error: d.error ?? null, meaningful: meaningful?.startTime ?? -1, first: mark?.startTime ?? -1, dcl: nav?.domContentLoadedEventEnd ?? -1,
                       count: api.length, slowest: slowest ? slowest.duration : 0, slowestName: slowest ? new URL(slowest.name).pathname + new URL(slowest.name).search : "" };
            }
            """);
        if (figures.GetProperty("error").GetString() is { } error)
        {
            throw new InvalidOperationException("the dashboard reported: " + error);
        }

        return new Load(figures.GetProperty("meaningful").GetDouble(), figures.GetProperty("first").GetDouble(), figures.GetProperty("dcl").GetDouble(), figures.GetProperty("count").GetInt32(),
            figures.GetProperty("slowest").GetDouble(), figures.GetProperty("slowestName").GetString() ?? "");
    }

    private const string LiveFolder = "-tmp-tally-bench-live";

    /// <summary>Appends a call for a new session and times until the open page shows that session, <paramref name="probes"/> times.</summary>
    private static async Task MeasureLiveAsync(IBrowser browser, Uri address, string folder, int probes, TextWriter stdout)
    {
        await using var context = await browser.NewContextAsync();
        var tab = await context.NewPageAsync();
        await tab.GotoAsync(new Uri(address, "/#range=today&sort=date&order=desc").ToString());
        await tab.WaitForFunctionAsync("() => document.documentElement.dataset.ready === '1'", null, new PageWaitForFunctionOptions { Timeout = (float)Timeout.TotalMilliseconds });
        var seen = new List<double>();
        for (var i = 0; i < probes; i++)
        {
            var session = Guid.NewGuid().ToString();
            var at = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            var line = "{\"type\":\"assistant\",\"sessionId\":\"" + session + "\",\"cwd\":\"/tmp/tally-bench-live\",\"uuid\":\"" + Guid.NewGuid() + "\",\"timestamp\":\"" + at
                + "\",\"message\":{\"id\":\"msg_bench_live_" + session.Replace("-", "", StringComparison.Ordinal) + "\",\"model\":\"claude-sonnet-4-5-20250929\",\"role\":\"assistant\",\"content\":[],\"usage\":{\"input_tokens\":10,\"output_tokens\":20}}}\n";
            var clock = Stopwatch.StartNew();
            await File.WriteAllTextAsync(Path.Combine(folder, session + ".jsonl"), line);
            await tab.WaitForFunctionAsync("id => document.querySelector(`[data-testid=session-row][data-key=\"${id}\"]`) !== null", session,
                new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 10 });
            seen.Add(clock.Elapsed.TotalMilliseconds);
            stdout.WriteLine(Fmt.Inv0($"live probe {i + 1}: the new session was on the page {clock.Elapsed.TotalMilliseconds:0} ms after its transcript line was written"));
            await Task.Delay(1500);
        }

        double[] sorted = [.. seen.Order()];
        stdout.WriteLine(Fmt.Inv0($"transcript line → on the page over {probes} probes: median {Percentile(sorted, 0.5):0} ms, max {sorted[^1]:0} ms"));
    }

    private static Process StartServer(string tally, string dataDir, int port, Dictionary<string, string> env, bool sync)
    {
        var start = new ProcessStartInfo(tally)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        string[] args = ["serve", "--read-only", "--data-dir", dataDir, "--port", port.ToString(CultureInfo.InvariantCulture)];
        foreach (var arg in sync ? args : [.. args, "--no-sync"])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in env)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("tally serve did not start");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForServerAsync(Uri address, Process server)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < until)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"tally serve exited with {server.ExitCode}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(address, "/openapi.json"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("tally serve did not answer within 2 minutes");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static double Percentile(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
