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

    [LoggerMessage(Level = LogLevel.Information, Message = "The upstream refused a call: {Refusal} (HTTP {Status}, agent {Agent}).")]
    private static partial void LogRefusal(ILogger logger, string refusal, int status, string agent);

    /// <summary>What to do with a subscription request the upstream refuses for quota.</summary>
    private sealed record RetryPolicy(bool Offer, string? ApiKey)
    {
        public static readonly RetryPolicy None = new(false, null);
        public static readonly RetryPolicy OfferFallback = new(true, null);

        public static RetryPolicy UseApiKey(string key) => new(false, key);
    }

    /// <summary>YARP's hooks: the upstream address without the agent prefix, the response's status and headers read.</summary>
    private sealed class Transformer(string upstreamPath, Call call, RetryPolicy retry) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(destinationPrefix, new PathString(upstreamPath), httpContext.Request.QueryString);
            proxyRequest.Headers.Remove(CallIdentity.TokenHeader); // Tally's own secret is not the upstream's business
            if (retry.ApiKey is { } key)
            {
                proxyRequest.Headers.Authorization = null;
                proxyRequest.Headers.Remove("x-api-key");
                proxyRequest.Headers.TryAddWithoutValidation("x-api-key", key);
            }
        }

        public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
        {
            if (proxyResponse is not null)
            {
                call.Response(proxyResponse);
                if (retry.Offer && (int)proxyResponse.StatusCode == StatusCodes.Status429TooManyRequests)
                {
                    call.RetryWithApiKey = true;
                    return false; // nothing of this answer reaches the client: the request is sent again with the API key
                }
            }

            return await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        }
    }

    /// <summary>One proxied call: its response as it is read, then its record.</summary>
    private sealed class Call(MeteringProxy proxy, CallIdentity identity, bool metered, long started, DateTimeOffset at)
    {
        private UsageScanner? _scanner;
        private System.Buffers.ArrayBufferWriter<byte>? _compressed;
        private string? _encoding;
        private bool _failed;
        private int _status;
        private string? _requestId;
        private bool _fallbackUsed;
        private List<RateLimitHeader> _headers = [];

        public bool RetryWithApiKey { get; set; }

        public void Reset(bool fallback)
        {
            RetryWithApiKey = false;
            _fallbackUsed = fallback;
            _scanner = null;
            _compressed = null;
            _encoding = null;
            _headers = [];
        }

        public void Response(HttpResponseMessage response)
        {
            try
            {
                _status = (int)response.StatusCode;
                _requestId = First(response.Headers, "request-id");
                var account = _fallbackUsed ? "api-key-fallback" : identity.Account;
                _headers = RateLimitReader.Headers(response.Headers, account, _status, proxy._clock.GetUtcNow());
                if (!metered)
                {
                    return;
                }

                var type = response.Content.Headers.ContentType?.MediaType;
                _encoding = response.Content.Headers.ContentEncoding.Count == 0 ? null : string.Join(",", response.Content.Headers.ContentEncoding).ToLowerInvariant();
                _scanner = new UsageScanner(string.Equals(type, "text/event-stream", StringComparison.OrdinalIgnoreCase), Stopwatch.GetTimestamp);
                if (_encoding is { } encoding && encoding != "identity")
                {
                    _compressed = new System.Buffers.ArrayBufferWriter<byte>();
                }
            }
#pragma warning disable CA1031 // metering must never break the response
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Fail(ex);
            }
        }

        public void Observe(ReadOnlySpan<byte> bytes)
        {
            if (_failed || _scanner is null)
            {
                return;
            }

            try
            {
                if (_compressed is { } compressed)
                {
                    if (compressed.WrittenCount + bytes.Length <= UsageScanner.MaxBuffered)
                    {
                        compressed.Write(bytes);
                    }
                    else
                    {
                        _compressed = null;
                        _scanner = null;
                    }

                    return;
                }

                _scanner.Write(bytes);
            }
#pragma warning disable CA1031 // metering must never break the response
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Fail(ex);
            }
        }

        public void Finish(ForwarderError error, bool clientGone)
        {
            try
            {
                var now = proxy._clock.GetUtcNow();
                var signals = RateLimitReader.Signals(_headers, _fallbackUsed ? "api-key-fallback" : identity.Account, now);
                var record = metered && !_failed ? Record(error, clientGone) : null;
                if (metered && record is null && _status is >= 200 and < 300)
                {
                    proxy._stats.AddUnmetered();
                }
                else if (record is not null)
                {
                    proxy._stats.AddMetered();
                }

                if (RateLimitReader.Refusal(_status, _scanner?.ErrorCode) is { } refusal)
                {
                    LogRefusal(proxy._log, refusal, _status, identity.Agent ?? "-");
                    _headers.Add(new RateLimitHeader { Account = identity.Account, Name = "x-tally-refusal", Value = refusal, Status = _status, ObservedAt = now });
                }

                if (record is not null || signals.Count > 0 || _headers.Count > 0)
                {
                    proxy._queue.Enqueue(new MeterItem(record, signals, _headers));
                }
            }
#pragma warning disable CA1031 // metering must never break the response
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Fail(ex);
            }
        }

        private UsageRecord? Record(ForwarderError error, bool clientGone)
        {
            if (_scanner is not { } scanner)
            {
                return null;
            }

            if (_compressed is { } compressed && _encoding is { } encoding)
            {
                if (Decode(compressed, encoding) is not { } decoded)
                {
                    return null; // an encoding Tally cannot read (zstd): counted as unmetered
                }

                scanner.Write(decoded);
            }

            scanner.Complete();
            if (scanner.MessageId is not { Length: > 0 } id || scanner.Model is not { Length: > 0 } model || !scanner.HasUsage)
            {
                return null;
            }

            var tokens = scanner.Tokens(out var splitMissing);
            var ended = Stopwatch.GetTimestamp();
            var outcome = clientGone || error is ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient or ForwarderError.RequestCanceled ? "client_aborted"
                : error is ForwarderError.ResponseBodyDestination ? "upstream_aborted"
                : scanner.ErrorType is { } type ? "error:" + type
                : "ok";
            var record = new UsageRecord
            {
                Key = "m:" + id,
                MessageId = id,
                RequestId = _requestId,
                Timestamp = at,
                SessionId = identity.SessionId,
                AgentId = identity.ClaudeAgentId,
                IsSidechain = identity.ClaudeAgentId is not null,
                Model = model,
                Tokens = tokens,
                CacheSplitMissing = splitMissing,
                WebSearchRequests = (int)Math.Min(scanner.WebSearch, int.MaxValue),
                WebFetchRequests = (int)Math.Min(scanner.WebFetch, int.MaxValue),
                ServiceTier = scanner.ServiceTier,
                Speed = scanner.Speed,
                InferenceGeo = scanner.InferenceGeo,
                ContentHash = System.IO.Hashing.XxHash3.HashToUInt64(System.Text.Encoding.UTF8.GetBytes(id)),
                Proxy = new ProxyCall
                {
                    Agent = identity.Agent,
                    Billing = _fallbackUsed ? BillingSource.Api : identity.Billing,
                    Account = _fallbackUsed ? null : identity.Account is { Length: > 0 } account ? account : null,
                    Status = _status,
                    Outcome = outcome,
                    LatencyMs = (long)Stopwatch.GetElapsedTime(started, ended).TotalMilliseconds,
                    TimeToFirstTokenMs = scanner.FirstTokenAt is { } first ? (long)Stopwatch.GetElapsedTime(started, first).TotalMilliseconds : null,
                    ApiKeyFallback = _fallbackUsed,
                },
            };
            return record with { Price = proxy._catalog.Price(record.ToPricingRequest()) };
        }

        private static byte[]? Decode(System.Buffers.ArrayBufferWriter<byte> bytes, string encoding)
        {
            using var compressed = new MemoryStream(bytes.WrittenSpan.ToArray(), writable: false);
            using Stream? decoder = encoding switch
            {
                "gzip" or "x-gzip" => new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true),
                "br" => new BrotliStream(compressed, CompressionMode.Decompress, leaveOpen: true),
                "deflate" => new ZLibStream(compressed, CompressionMode.Decompress, leaveOpen: true),
                _ => null,
            };
            if (decoder is null)
            {
                return null;
            }

            using var output = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = decoder.Read(buffer)) > 0)
            {
                if (output.Length + read > UsageScanner.MaxBuffered)
                {
                    return null;
                }

                output.Write(buffer, 0, read);
            }

            return output.ToArray();
        }

        private void Fail(Exception ex)
        {
            _failed = true;
            proxy._stats.AddMeterFailure();
            LogMeterFailed(proxy._log, proxy._stats.MeterFailures, ex.GetType().Name + ": " + ex.Message);
        }

        private static string? First(HttpResponseHeaders headers, string name) =>
            headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
    }
}
