using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tally.Proxy.Tests.Harness;

/// <summary>What the fake upstream received.</summary>
public sealed record UpstreamRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>
/// Anthropic's API as the proxy sees it, on real Kestrel (127.0.0.1, a port of its own), answering with the recorded
/// wire shapes: SSE with pings and cumulative usage, a JSON message, an error event after a 200, a slow stream held
/// until the test releases it, 429 with standard and unified rate-limit headers, a spend-cap 429, 529, token counting.
/// The scenario is chosen by the <c>x-test-scenario</c> request header.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    public const string Model = "claude-sonnet-4-5-20250929";

    private readonly WebApplication _app;

    private FakeUpstream(WebApplication app) => _app = app;

    public ConcurrentQueue<UpstreamRequest> Requests { get; } = new();

    /// <summary>The slow stream waits for this before sending its rest.</summary>
    public TaskCompletionSource Release { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set once the slow stream's client went away.</summary>
    public TaskCompletionSource ClientGone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Uri Address { get; private set; } = null!;

    public static string StreamBody(string id, long output = 510) => string.Concat(
        Event("message_start", $$$$$"""{"type":"message_start","message":{"id":"{{{{{id}}}}}","type":"message","role":"assistant","model":"{{{{{Model}}}}}","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"cache_creation_input_tokens":100,"cache_read_input_tokens":20012,"cache_creation":{"ephemeral_5m_input_tokens":100,"ephemeral_1h_input_tokens":0},"output_tokens":1,"service_tier":"standard"}}}"""),
        Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
        Event("ping", """{"type": "ping"}"""),
        Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"""),
        Event("ping", """{"type": "ping"}"""),
        Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there"}}"""),
        Event("content_block_stop", """{"type":"content_block_stop","index":0}"""),
        Event("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":200}}"""),
        Event("message_delta", $$$$$"""{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":{{{{{output}}}}}}}"""),
        Event("message_stop", """{"type":"message_stop"}"""));

    public static string JsonBody(string id) =>
        $$$$$"""{"id":"{{{{{id}}}}}","type":"message","role":"assistant","model":"{{{{{Model}}}}}","content":[{"type":"text","text":"Hello"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":34,"service_tier":"standard"}}""";

    /// <summary>A 200 body that is not JSON (cut off mid-object).</summary>
    public const string GarbageJson = """{"id":"msg_garbage","type":"message","usage":{"input_tokens":12,"outp""";

    /// <summary>A 200 stream whose message_start data is not JSON.</summary>
    public static readonly string GarbageSse = Event("message_start", "{not json at all") + Event("ping", """{"type": "ping"}""") + Event("message_stop", """{"type":"message_stop"}""");

    public static string Event(string name, string data) => $"event: {name}\ndata: {data}\n\n";

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var upstream = new FakeUpstream(app);
        app.Map("/{**path}", upstream.AnswerAsync);
        await app.StartAsync();
        upstream.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return upstream;
    }

    public void ResetRelease() => Release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task AnswerAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        Requests.Enqueue(new UpstreamRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(static h => h.Key.ToLowerInvariant(), static h => h.Value.ToString()),
            body.ToArray()));
        var response = context.Response;
        if (context.Request.Path == "/api/hello")
        {
            response.Headers["x-test-hello"] = "upstream"; // Claude Code's warm-up: an empty 200
            return;
        }

        var scenario = context.Request.Headers["x-test-scenario"].ToString();
        var id = context.Request.Headers["x-test-message-id"].ToString() is { Length: > 0 } given ? given : "msg_" + Guid.NewGuid().ToString("N");
        response.Headers["request-id"] = "req_" + id;
        Standard(response);
        if (context.Request.Headers.Authorization.Count > 0)
        {
            Unified(response, "allowed", "0.42", "0.67");
        }

        switch (scenario)
        {
            case "json":
                await Json(response, 200, JsonBody(id));
                break;
            case "garbage-json":
                await Json(response, 200, GarbageJson);
                break;
            case "garbage-sse":
                await Sse(context, [GarbageSse]);
                break;
            case "bad-gzip":
                response.Headers.ContentEncoding = "gzip";
                await Json(response, 200, GarbageJson); // says gzip, is not
                break;
            case "count":
                await Json(response, 200, """{"input_tokens":2095}""");
                break;
            case "error-after-200":
                await Sse(context, [
                    Event("message_start", $$$$$"""{"type":"message_start","message":{"id":"{{{{{id}}}}}","type":"message","role":"assistant","model":"{{{{{Model}}}}}","content":[],"usage":{"input_tokens":50,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}"""),
                    Event("ping", """{"type": "ping"}"""),
                    Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"""),
                    Event("error", """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""),
                ]);
                break;
            case "slow":
                await Sse(context, [Event("message_start", $$$$$"""{"type":"message_start","message":{"id":"{{{{{id}}}}}","type":"message","role":"assistant","model":"{{{{{Model}}}}}","content":[],"usage":{"input_tokens":7,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}"""), Event("ping", """{"type": "ping"}""")]);
                try
                {
                    await Release.Task.WaitAsync(context.RequestAborted);
                    await Sse(context, [Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"late"}}"""), Event("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}}"""), Event("message_stop", """{"type":"message_stop"}""")]);
                    await Task.Delay(Timeout.Infinite, context.RequestAborted); // then hold until the client leaves
                }
                catch (OperationCanceledException)
                {
                    ClientGone.TrySetResult();
                }

                break;
            case "429":
                response.Headers.RetryAfter = "17";
                if (context.Request.Headers.Authorization.Count > 0)
                {
                    Unified(response, "rejected", "1.01", "0.88");
                }

                await Json(response, 429, """{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"},"request_id":"req_429"}""");
                break;
            case "quota-unless-key" when context.Request.Headers.ContainsKey("x-api-key"):
                await Sse(context, [StreamBody(id)]);
                break;
            case "quota-unless-key":
                response.Headers.RetryAfter = "30";
                Unified(response, "rejected", "1.0", "0.9");
                await Json(response, 429, """{"type":"error","error":{"type":"rate_limit_error","message":"Rate limited"}}""");
                break;
            case "spend-cap":
                await Json(response, 429, """{"type":"error","error":{"type":"rate_limit_error","message":"You have reached your specified API usage limits.","details":{"error_code":"enforced_spend_limit_reached"}},"request_id":"req_cap"}""");
                break;
            case "529":
                await Json(response, 529, """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_529"}""");
                break;
            default:
                await Sse(context, [StreamBody(id)]);
                break;
        }
    }

    private static void Standard(HttpResponse response)
    {
        response.Headers["anthropic-ratelimit-requests-limit"] = "4000";
        response.Headers["anthropic-ratelimit-requests-remaining"] = "3999";
        response.Headers["anthropic-ratelimit-requests-reset"] = "2026-11-20T18:00:01Z";
        response.Headers["anthropic-ratelimit-input-tokens-limit"] = "2000000";
        response.Headers["anthropic-ratelimit-input-tokens-remaining"] = "1998000";
        response.Headers["anthropic-ratelimit-tokens-reset"] = "2026-11-20T18:00:02Z";
    }

    private static void Unified(HttpResponse response, string status, string fiveHour, string weekly)
    {
        response.Headers["anthropic-ratelimit-unified-status"] = status;
        response.Headers["anthropic-ratelimit-unified-5h-status"] = status;
        response.Headers["anthropic-ratelimit-unified-5h-utilization"] = fiveHour;
        response.Headers["anthropic-ratelimit-unified-5h-reset"] = "1795716000"; // 2026-11-26T01:20:00Z
        response.Headers["anthropic-ratelimit-unified-7d-utilization"] = weekly;
        response.Headers["anthropic-ratelimit-unified-7d-reset"] = "1796025600";
        response.Headers["anthropic-ratelimit-unified-7d-sonnet-utilization"] = "0.3";
        response.Headers["anthropic-ratelimit-unified-representative-claim"] = "five_hour";
        response.Headers["anthropic-ratelimit-unified-future-thing"] = "kept";
    }

    private static async Task Json(HttpResponse response, int status, string body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.WriteAsync(body);
    }

    private static async Task Sse(HttpContext context, IEnumerable<string> events)
    {
        var response = context.Response;
        if (!response.HasStarted)
        {
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
        }

        foreach (var e in events)
        {
            await response.WriteAsync(e, context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
        }
    }
}
