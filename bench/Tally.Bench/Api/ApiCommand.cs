using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tally.Bench.Common;
using Tally.Bench.Tools;

namespace Tally.Bench.Api;

/// <summary>
/// <c>api</c>: <c>tally serve</c>'s response times over a large index. Starts the server on 127.0.0.1 over an existing
/// index (no sync, so only the API is timed), then sends each of the dashboard's requests for the last 30 days of
/// history, one at a time, and prints p50/p95/p99/max per request, and the server's peak RSS.
/// </summary>
internal static partial class ApiCommand
{
    public const string Usage = """
        usage: tally-bench api --tally PATH --data DIR [options]
          Serves the index in DIR (DIR/index.db, e.g. the one `scale --keep DIR` made) with `tally serve --no-sync` on
          127.0.0.1, then times the dashboard's requests over the last 30 days of history, one request at a time.
          Exit 1 when a request fails.

          --tally PATH        the tally executable
          --data DIR          Tally's data directory holding index.db
          --requests N        timed requests per endpoint (default 200), after 10 untimed ones
        """;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        BenchArgs a;
        string tally, data;
        try
        {
            a = BenchArgs.Parse(args, ["--tally", "--data", "--requests"], []);
            tally = a.ExistingFile("--tally", "the tally executable");
            data = Path.GetFullPath(a.Value("--data") ?? throw new FormatException("--data is required"));
            if (!File.Exists(Path.Combine(data, "index.db")))
            {
                throw new FormatException($"--data {data} holds no index.db");
            }
        }
        catch (FormatException e)
        {
            stderr.WriteLine($"{e.Message}\n\n{Usage}");
            return 2;
        }

        var requests = a.Int("--requests", 200);
        var empty = Directory.CreateTempSubdirectory("tally-bench-api-");
        try
        {
            using var box = new Sandbox(empty.FullName);
            var env = box.Environment();
            env["TALLY_DATA_DIR"] = data;
            stdout.WriteLine(Fmt.Inv0($"load average before: {Machine.LoadAverage()}"));
            var (since, until, records) = Window(tally, env);
            stdout.WriteLine(Fmt.Inv0($"index: {Fmt.Count(records)} records; window {since} .. {until} (30 days); {requests} timed requests each, one at a time"));

            var start = new ProcessStartInfo(tally) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "serve", "--no-sync", "--port", "0" })
            {
                start.ArgumentList.Add(arg);
            }

            foreach (var (name, value) in env)
            {
                start.Environment[name] = value;
            }

            using var server = Process.Start(start)!;
            try
            {
                var address = WaitForAddress(server);
                if (address is null)
                {
                    stderr.WriteLine($"tally serve printed no address: {server.StandardError.ReadToEnd()}");
                    return 1;
                }

                using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(1) };
                var range = $"start_date={since}&end_date={until}&timezone=UTC";
                string[] paths =
                [
                    $"/api/costs?{range}",
                    $"/api/costs?{range}&group_by=model",
                    $"/api/costs?{range}&group_by=project&compare=previous",
                    $"/api/stats?{range}",
                    $"/api/stats/sessions?{range}&limit=50&sort=cost",
                    $"/api/stats/tools?{range}",
                ];
                stdout.WriteLine();
                stdout.WriteLine("| request (30 days) | p50 ms | p95 ms | p99 ms | max ms | bytes |");
                stdout.WriteLine("|---|---|---|---|---|---|");
                var failed = false;
                foreach (var path in paths)
                {
                    var (times, bytes, error) = Time(client, path, requests);
                    if (error is not null)
                    {
                        stderr.WriteLine($"{path}: {error}");
                        failed = true;
                        continue;
                    }

                    stdout.WriteLine(Fmt.Inv0($"| `{path.Replace(range, "30 days", StringComparison.Ordinal)}` | {Pct(times, 50):0.0} | {Pct(times, 95):0.0} | {Pct(times, 99):0.0} | {times[^1]:0.0} | {Fmt.Count(bytes)} |"));
                }

                stdout.WriteLine();
                stdout.WriteLine(Fmt.Inv0($"server peak RSS: {PeakRssMb(server.Id)} MB"));
                stdout.WriteLine(Fmt.Inv0($"load average after: {Machine.LoadAverage()}"));
                return failed ? 1 : 0;
            }
            finally
            {
                if (!server.HasExited)
                {
                    server.Kill(entireProcessTree: true);
                }

                server.WaitForExit();
            }
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    private static (string Since, string Until, long Records) Window(string tally, Dictionary<string, string> env)
    {
        var all = ProcessRunner.Run(new ProcessSpec(tally, ["daily", "--json", "--no-sync", "--timezone", "UTC"], env), TimeSpan.FromMinutes(5));
        if (!all.Succeeded)
        {
            throw new InvalidOperationException($"daily failed ({all.ExitCode}): {all.StderrHead()}");
        }

        using var doc = JsonDocument.Parse(all.Stdout);
        var totals = doc.RootElement.GetProperty("totals");
        var last = DateOnly.FromDateTime(DateTimeOffset.Parse(totals.GetProperty("lastActivity").GetString()!, CultureInfo.InvariantCulture).UtcDateTime);
        return (last.AddDays(-29).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), totals.GetProperty("requests").GetInt64());
    }

    private static Uri? WaitForAddress(Process server)
    {
        var found = Task.Run(() =>
        {
            while (server.StandardOutput.ReadLine() is { } line)
            {
                if (Served().Match(line) is { Success: true } match)
                {
                    // Keep draining stdout so the server never blocks on a full pipe.
                    _ = Task.Run(() => server.StandardOutput.ReadToEnd());
                    return new Uri(match.Groups[1].Value);
                }
            }

            return null;
        });
        return found.Wait(StartTimeout) ? found.Result : null;
    }

    private static (double[] Times, long Bytes, string? Error) Time(HttpClient client, string path, int requests)
    {
        long bytes = 0;
        var times = new double[requests];
        for (var i = -10; i < requests; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = client.GetAsync(path).GetAwaiter().GetResult();
            var body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            watch.Stop();
            if (!response.IsSuccessStatusCode)
            {
                return ([], 0, $"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
            }

            bytes = body.Length;
            if (i >= 0)
            {
                times[i] = watch.Elapsed.TotalMilliseconds;
            }
        }

        Array.Sort(times);
        return (times, bytes, null);
    }

    private static double Pct(double[] sorted, int percent) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1)];

    private static string PeakRssMb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(static l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? "-" : (long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return "-";
        }
    }

    [GeneratedRegex(@"Tally serves (http://\S+/)")]
    private static partial Regex Served();
}
