using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tally.Bench.Common;

namespace Tally.Bench.Proxy;

/// <summary>
/// <c>proxy</c>: what the metering proxy costs, on loopback: a fake upstream (Kestrel, answering the recorded wire
/// shapes at once), the proxy in front of it over a real SQLite index (its host in this process, or a <c>tally</c>
/// executable's <c>tally proxy</c> as its own process), and clients in this process.
/// </summary>
internal static class ProxyBenchCommand
{
    public const string Usage = """
        usage: tally-bench proxy [options]
          Loopback only, bounded counts. (1) added latency: N non-streamed calls one at a time, alternating straight
          to the fake upstream and through the proxy; p50, p99 and max of each and of the difference. (2) throughput:
          N calls through the proxy with metering on, C at a time; calls per second, and every call found in the index.
          (3) S streams open at once through the proxy, each sending a ping every 100 ms for the given seconds;
          process memory (working set, managed heap) before, at 25/50/75/100% of the streams open, and after.

          --requests N        calls for (1) and (2) (default 2000)
          --concurrency C     clients at once for (2) (default 32)
          --streams S         concurrent streams for (3) (default 500)
          --stream-seconds T  how long each stream lasts (default 10)
          --tally PATH        measure this `tally` executable's `tally proxy` as its own process (the product as
                              shipped) instead of the proxy's host inside this process; memory is then the proxy
                              process's resident set alone, and metering is checked by counting the index's records
        """;

    private const string Model = "claude-sonnet-4-5-20250929";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        BenchArgs a;
        try
        {
            a = BenchArgs.Parse(args, ["--requests", "--concurrency", "--streams", "--stream-seconds", "--tally"], []);
            if (a.Value("--tally") is not null)
            {
                a.ExistingFile("--tally", "the tally executable");
            }
        }
        catch (FormatException e)
        {
            stderr.WriteLine($"{e.Message}\n\n{Usage}");
            return 2;
        }

        return RunAsync(a.Int("--requests", 2000), a.Int("--concurrency", 32), a.Int("--streams", 500), a.Int("--stream-seconds", 10), a.Value("--tally"), stdout, stderr).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int requests, int concurrency, int streams, int streamSeconds, string? tally, TextWriter stdout, TextWriter stderr)
    {
        var temp = Directory.CreateTempSubdirectory("tally-bench-proxy-");
        try
        {
            await using var upstream = await StartUpstreamAsync(streamSeconds);
            var upstreamUri = new Uri(upstream.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
            await using IProxyTarget proxy = tally is null
                ? await InProcessProxy.StartAsync(upstreamUri, temp.FullName)
                : await NativeProxy.StartAsync(tally, upstreamUri, temp.FullName);
            var proxyUri = proxy.Address;
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = int.MaxValue }) { Timeout = TimeSpan.FromMinutes(5) };
            stdout.WriteLine(Fmt.Inv0($"load average before: {Machine.LoadAverage()}; {Environment.ProcessorCount} cores; {requests} requests, {concurrency} at a time, {streams} streams of {streamSeconds} s; proxy: {proxy.Description}"));

            // Warm both paths (JIT, connections).
            for (var i = 0; i < Math.Min(50, requests); i++)
            {
                await CallAsync(client, upstreamUri, "json");
                await CallAsync(client, proxyUri, "json");
            }

            // (1) Added latency, one call at a time, alternating.
            var direct = new double[requests];
            var through = new double[requests];
            for (var i = 0; i < requests; i++)
            {
                direct[i] = await CallAsync(client, upstreamUri, "json");
                through[i] = await CallAsync(client, proxyUri, "json");
            }

            Array.Sort(direct);
            Array.Sort(through);
            stdout.WriteLine("non-streamed call latency (ms)      p50      p99      max");
            stdout.WriteLine(Fmt.Inv0($"  straight to the fake upstream {P(direct, 0.5),8:0.000} {P(direct, 0.99),8:0.000} {direct[^1],8:0.000}"));
            stdout.WriteLine(Fmt.Inv0($"  through the proxy (metered)   {P(through, 0.5),8:0.000} {P(through, 0.99),8:0.000} {through[^1],8:0.000}"));
            stdout.WriteLine(Fmt.Inv0($"  added                         {P(through, 0.5) - P(direct, 0.5),8:0.000} {P(through, 0.99) - P(direct, 0.99),8:0.000}"));

            // (2) Throughput with metering on.
            // The latency run's last records may still be on their way to the index (the writer lets calls gather
            // before a transaction): count from when the figure stops moving.
            var before = proxy.Written();
            for (var stable = 0; stable < 3;)
            {
                await Task.Delay(100);
                var now = proxy.Written();
                stable = now == before ? stable + 1 : 0;
                before = now;
            }

            var next = -1;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                while (Interlocked.Increment(ref next) < requests)
                {
                    await CallAsync(client, proxyUri, "json");
                }
            }));
            var seconds = clock.Elapsed.TotalSeconds;
            var deadline = Stopwatch.StartNew();
            while (proxy.Written() - before < requests && deadline.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(50);
            }

            stdout.WriteLine(Fmt.Inv0($"throughput, metered: {requests / seconds:0} calls/s ({requests} calls, {concurrency} at a time, {seconds:0.00} s); written to the index: {proxy.Written() - before}, {proxy.Failures()}"));

            // (3) Concurrent streams' memory.
            stdout.WriteLine(Fmt.Inv0($"concurrent streams                  {proxy.MemoryColumns}"));
            stdout.WriteLine(Fmt.Inv0($"{"  before",-36}{proxy.Memory()}"));
            var open = 0;
            var marks = new[] { streams / 4, streams / 2, streams * 3 / 4, streams }.Where(static m => m > 0).Distinct().ToArray();
            var all = new List<Task>();
            foreach (var mark in marks)
            {
                while (open < mark)
                {
                    all.Add(StreamAsync(client, proxyUri));
                    open++;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(200, streamSeconds * 1000 / 10)));
                stdout.WriteLine(Fmt.Inv0($"{$"  {open} open",-36}{proxy.Memory()}"));
            }

            await Task.WhenAll(all);
            GC.Collect();
            stdout.WriteLine(Fmt.Inv0($"{"  after",-36}{proxy.Memory()}"));
            var failed = all.Count(static t => !t.IsCompletedSuccessfully);
            stdout.WriteLine(Fmt.Inv0($"streams completed: {all.Count - failed}/{all.Count}; {proxy.Failures()}"));
            return failed == 0 && proxy.Healthy() ? 0 : 1;
        }
        finally
        {
            try
            {
                temp.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static double P(double[] sorted, double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private static async Task<double> CallAsync(HttpClient client, Uri baseUri, string scenario)
    {
        using var request = Request(baseUri, scenario);
        var started = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        response.EnsureSuccessStatusCode();
        return ms;
    }

    private static async Task StreamAsync(HttpClient client, Uri baseUri)
    {
        using var request = Request(baseUri, "stream");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        await body.CopyToAsync(Stream.Null);
    }

    private static HttpRequestMessage Request(Uri baseUri, string scenario)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, "/v1/messages"))
        {
            Content = new StringContent("""{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-api03-bench");
        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        request.Headers.TryAddWithoutValidation("x-bench", scenario);
        return request;
    }

    private static async Task<WebApplication> StartUpstreamAsync(int streamSeconds)
    {
        // Content root: the harness's own directory, as the product's host does. The default (the current directory)
        // watches that directory tree for configuration changes; run from /tmp, it woke on every write to the proxy's
        // index (in a temporary directory there) and took a core while the proxy's writer held the other.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/v1/messages", async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            var id = "msg_" + Guid.NewGuid().ToString("N");
            var response = context.Response;
            response.Headers["request-id"] = "req_" + id;
            response.Headers["anthropic-ratelimit-requests-remaining"] = "3999";
            if (context.Request.Headers["x-bench"] != "stream")
            {
                response.ContentType = "application/json";
                await response.WriteAsync($$$"""{"id":"{{{id}}}","type":"message","role":"assistant","model":"{{{Model}}}","content":[{"type":"text","text":"Hello"}],"stop_reason":"end_turn","usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":34}}""");
                return;
            }

            response.ContentType = "text/event-stream";
            await response.WriteAsync($$$$"""
                event: message_start
                data: {"type":"message_start","message":{"id":"{{{{id}}}}","type":"message","role":"assistant","model":"{{{{Model}}}}","content":[],"usage":{"input_tokens":3,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}


                """.Replace("\r", string.Empty, StringComparison.Ordinal));
            var end = Stopwatch.StartNew();
            while (end.Elapsed < TimeSpan.FromSeconds(streamSeconds))
            {
                await response.WriteAsync("event: ping\ndata: {\"type\": \"ping\"}\n\n", context.RequestAborted);
                await response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(100, context.RequestAborted);
            }

            await response.WriteAsync("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":50}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        });
        await app.StartAsync();
        return app;
    }
}
