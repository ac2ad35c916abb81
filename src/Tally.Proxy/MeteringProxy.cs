using System.Buffers;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tally.Core.Agents;
using Tally.Core.Limits;
using Tally.Core.Pricing;
using Tally.Core.Usage;
using Yarp.ReverseProxy.Forwarder;

namespace Tally.Proxy;

/// <summary>
/// Forwards Messages API traffic to the upstream with YARP's <see cref="IHttpForwarder"/>: headers and body bytes as
/// they came (only the <c>/agents/&lt;name&gt;</c> prefix is taken off the path and Tally's own <c>x-tally-token</c>
/// is not passed on), the response streamed back chunk by chunk. On the way it reads the response's usage and
/// rate-limit headers and queues them for the store; a failure to meter never touches the response.
/// </summary>
internal sealed partial class MeteringProxy
{
    /// <summary>The path metered: the Messages API (token counting and everything else pass through unmetered).</summary>
    public const string MessagesPath = "/v1/messages";

    private static readonly ForwarderRequestConfig RequestConfig = new() { ActivityTimeout = TimeSpan.FromMinutes(10) };

    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _client;
    private readonly ProxyOptions _options;
    private readonly PriceCatalog _catalog;
    private readonly MeterWriter _queue;
    private readonly ProxyStats _stats;
    private readonly IBudgetGate? _budgets;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly string _upstream;

    /// <summary>Creates the proxy.</summary>
    public MeteringProxy(IHttpForwarder forwarder, HttpMessageInvoker client, ProxyOptions options, PriceCatalog catalog, MeterWriter queue, ProxyStats stats, IBudgetGate? budgets, TimeProvider clock, ILogger<MeteringProxy> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        _forwarder = forwarder;
        _client = client;
        _options = options;
        _catalog = catalog;
        _queue = queue;
        _stats = stats;
        _budgets = budgets;
        _clock = clock;
        _log = log;
        _upstream = options.Upstream.AbsoluteUri.TrimEnd('/');
    }

    /// <summary>The client the proxy forwards with: no cookies, no redirects, no decompression, no proxy of its own,
    /// no connection limit (as YARP recommends).</summary>
    public static HttpMessageInvoker CreateClient() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(15),
    });

    /// <summary>Handles <c>/v1/{**rest}</c>.</summary>
    public Task ForwardAsync(HttpContext context) => HandleAsync(context, null);

    /// <summary>Handles <c>/agents/{name}/v1/{**rest}</c>.</summary>
    public async Task ForwardAgentAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = context.Request.RouteValues["name"] as string ?? string.Empty;
        if (!CallIdentity.ValidAgent(name))
        {
            await AnthropicError.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid_request_error", $"Tally: the agent name in the path (/agents/<name>/v1/…) must be 1–64 letters, digits, '.', '_' or '-'.");
            return;
        }

        await HandleAsync(context, name);
    }

    private async Task HandleAsync(HttpContext context, string? pathAgent)
    {
        var started = Stopwatch.GetTimestamp();
        var at = _clock.GetUtcNow();
        var request = context.Request;
        if (pathAgent is null && request.Headers[CallIdentity.AgentHeader].ToString() is { Length: > 0 } named && !CallIdentity.ValidAgent(named.Trim()))
        {
            await AnthropicError.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid_request_error", "Tally: the x-tally-agent header must be 1–64 letters, digits, '.', '_' or '-'.");
            return;
        }

        var identity = CallIdentity.Of(request, pathAgent, _options.AccountSalt);
        var path = request.Path.Value ?? "/";
        var upstreamPath = pathAgent is null ? path : path[("/agents/".Length + pathAgent.Length)..]; // "/v1…": the name is plain ASCII, checked
        var metered = HttpMethods.IsPost(request.Method) && string.Equals(upstreamPath.TrimEnd('/'), MessagesPath, StringComparison.Ordinal);

        if (_budgets is not null && metered)
        {
            var verdict = await _budgets.CheckAsync(identity, context.RequestAborted);
            if (verdict is { } refusal)
            {
                _stats.AddRefusedByBudget();
                await AnthropicError.WriteAsync(context, refusal.Status, refusal.Type, refusal.Message, r =>
                {
                    if (refusal.RetryAfter is { } after)
                    {
                        r.Headers.RetryAfter = ((long)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }
                });
                return;
            }
        }

        var call = new Call(this, identity, metered, started, at);
        var fallback = metered && identity.Billing == BillingSource.Subscription && _options.FallbackApiKey is { Length: > 0 };
        if (fallback)
        {
            request.EnableBuffering(); // the body is sent again if the subscription is refused for quota
        }

        var original = context.Response.Body;
        if (metered)
        {
            context.Response.Body = new MeterTap(original, call.Observe);
        }

        ForwarderError error;
        try
        {
            _stats.AddForwarded();
            error = await _forwarder.SendAsync(context, _upstream, _client, RequestConfig, new Transformer(upstreamPath, call, fallback ? RetryPolicy.OfferFallback : RetryPolicy.None));
            if (call.RetryWithApiKey)
            {
                _stats.AddFallback();
                context.Response.StatusCode = StatusCodes.Status200OK; // YARP set the refusal's status; nothing was sent
                context.Response.Headers.Clear();
                request.Body.Position = 0;
                call.Reset(fallback: true);
                error = await _forwarder.SendAsync(context, _upstream, _client, RequestConfig, new Transformer(upstreamPath, call, RetryPolicy.UseApiKey(_options.FallbackApiKey!)));
            }
        }
        finally
        {
            context.Response.Body = original;
        }

        if (error != ForwarderError.None && !context.Response.HasStarted && error is ForwarderError.Request or ForwarderError.RequestTimedOut or ForwarderError.NoAvailableDestinations)
        {
            LogUpstreamFailed(_log, _upstream, error);
            await AnthropicError.WriteAsync(context, StatusCodes.Status502BadGateway, "api_error", $"Tally's proxy could not reach its upstream ({_upstream}): {error}.");
        }
        else if (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            await context.Response.CompleteAsync(); // an empty upstream body: send the headers as they are
        }

        call.Finish(error, context.RequestAborted.IsCancellationRequested);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The proxy's upstream {Upstream} failed: {Error}.")]
    private static partial void LogUpstreamFailed(ILogger logger, string upstream, ForwarderError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metering a response failed (the response was passed on untouched; {Failures} failures so far): {Reason}")]
    private static partial void LogMeterFailed(ILogger logger, long failures, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Status} answer to agent {Agent} was passed on unchanged but not metered: {Reason}.")]
    private static partial void LogUnmetered(ILogger logger, int status, string agent, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The upstream refused a call: {Refusal} (HTTP {Status}, agent {Agent}).")]
    private static partial void LogRefusal(ILogger logger, string refusal, int status, string agent);
}
