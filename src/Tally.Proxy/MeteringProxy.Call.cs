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

/// <summary>A proxied call's parts: the retry policy, YARP's transform hooks, and the call that reads the response as it
/// streams and turns it into a record.</summary>
internal sealed partial class MeteringProxy
{
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
            proxyRequest.Headers.Host = null; // the upstream's own name (from the address), not Tally's: YARP's default copies the client's
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
                    LogUnmetered(proxy._log, _status, identity.Agent ?? "-", UnmeteredReason());
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

        /// <summary>Why a successful answer gave no record (for the log; no content of the body is quoted).</summary>
        private string UnmeteredReason() => _failed ? "reading it failed"
            : _scanner is null ? (_encoding is { } encoding ? $"its body ({encoding}) exceeded {UsageScanner.MaxBuffered} bytes" : "it was not read")
            : _scanner.Unreadable ? "its body could not be parsed"
            : _encoding is { } unknown && unknown != "identity" && _scanner.MessageId is null ? $"its encoding ({unknown}) cannot be decoded here, or decoded to no message"
            : "it carried no message id, model or usage";

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
