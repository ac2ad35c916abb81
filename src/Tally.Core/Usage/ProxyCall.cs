using Tally.Core.Agents;

namespace Tally.Core.Usage;

/// <summary>
/// What the metering proxy adds to a call's record: who made it, what it was billed to, and how it went. A record
/// seen by both the proxy and a transcript keeps these whichever sighting ranks higher.
/// </summary>
public sealed record ProxyCall
{
    /// <summary>The agent named by the request's path (<c>/agents/&lt;name&gt;/v1/…</c>), its <c>x-tally-agent</c>
    /// header or Claude Code's agent header; null when none named one.</summary>
    public string? Agent { get; init; }

    /// <summary>What the call was billed to: an OAuth bearer token is a subscription, an <c>x-api-key</c> the API.</summary>
    public BillingSource Billing { get; init; }

    /// <summary>A salted fingerprint of the credential (never the credential): tells accounts apart.</summary>
    public string? Account { get; init; }

    /// <summary>The upstream's HTTP status.</summary>
    public int Status { get; init; }

    /// <summary>How the call ended: <c>ok</c>, <c>error:&lt;type&gt;</c> (an error event after a 200, or an error body),
    /// <c>client_aborted</c> or <c>upstream_aborted</c>.</summary>
    public string Outcome { get; init; } = "ok";

    /// <summary>From the request's arrival to the end of the response, in milliseconds.</summary>
    public long LatencyMs { get; init; }

    /// <summary>From the request's arrival to the first generated token (the first content delta of a stream, the
    /// body of a non-streamed answer), in milliseconds; null when none came.</summary>
    public long? TimeToFirstTokenMs { get; init; }

    /// <summary>True when a subscription request refused for quota was retried with the configured API key (the call is
    /// then billed to the API).</summary>
    public bool ApiKeyFallback { get; init; }
}
