using Tally.Core.Usage;

namespace Tally.Core.Pricing;

/// <summary>Everything the price rules look at for one API call. A value (a record struct): a sync prices every call it
/// reads without an object for each, and two requests are equal when every field is.</summary>
public readonly record struct PricingRequest
{
    /// <summary>The model id as the source wrote it (API, Bedrock or Vertex form, alias, dated or dateless).</summary>
    public required string Model { get; init; }

    /// <summary>When the call was made; prices and rules in force on that day apply.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The call's tokens.</summary>
    public required TokenCounts Tokens { get; init; }

    /// <summary>Web search requests made by the server tool (billed per search).</summary>
    public int WebSearchRequests { get; init; }

    /// <summary><c>usage.service_tier</c>: standard, priority, batch, or an unknown value.</summary>
    public string? ServiceTier { get; init; }

    /// <summary><c>usage.speed</c>: standard or fast.</summary>
    public string? Speed { get; init; }

    /// <summary><c>usage.inference_geo</c>: for example <c>us</c> (data residency), <c>not_available</c>, or empty.</summary>
    public string? InferenceGeo { get; init; }
}
