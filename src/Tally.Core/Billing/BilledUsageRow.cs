using Tally.Core.Usage;

namespace Tally.Core.Billing;

/// <summary>
/// One row of the Admin API's usage report at Tally's one stored grain: a 1-hour UTC bucket grouped by every dimension
/// Tally asks for. A null dimension is a value, not "all": a null workspace is the default workspace and a null API key is
/// Console (Workbench) usage. Enum-like fields are kept as the API wrote them (unknown values included).
/// </summary>
public sealed record BilledUsageRow
{
    /// <summary>The bucket's start (UTC, inclusive).</summary>
    public required DateTimeOffset Bucket { get; init; }

    /// <summary>The model id as the API wrote it (dated ids).</summary>
    public string? Model { get; init; }

    /// <summary>The workspace (null: the default workspace).</summary>
    public string? WorkspaceId { get; init; }

    /// <summary>The API key (null: Console / Workbench usage).</summary>
    public string? ApiKeyId { get; init; }

    /// <summary><c>standard</c>, <c>batch</c>, <c>priority</c>, … (kept as written).</summary>
    public string? ServiceTier { get; init; }

    /// <summary><c>0-200k</c>, <c>200k-1M</c>, … (kept as written).</summary>
    public string? ContextWindow { get; init; }

    /// <summary><c>global</c>, <c>us</c>, … when the API offers the dimension.</summary>
    public string? InferenceGeo { get; init; }

    /// <summary>Tokens: uncached input, output, cache writes (5 m, 1 h) and cache reads.</summary>
    public required TokenCounts Tokens { get; init; }

    /// <summary>Server-side web searches.</summary>
    public long WebSearchRequests { get; init; }

    /// <summary>The row's identity: bucket and every grouping dimension (a re-sync of the same row replaces it).</summary>
    public string Key => string.Join('\u001f', Bucket.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        Model, WorkspaceId, ApiKeyId, ServiceTier, ContextWindow, InferenceGeo);
}
