namespace Tally.Core.Billing;

/// <summary>
/// One row of the Admin API's cost report: a UTC day grouped by workspace and description. The amount is in dollars,
/// converted exactly from the report's cents. Fields the API leaves null stay null (a null workspace is the default
/// workspace); enum-like fields are kept as written.
/// </summary>
public sealed record BilledCostRow
{
    /// <summary>The UTC day.</summary>
    public required DateOnly Day { get; init; }

    /// <summary>The workspace (null: the default workspace).</summary>
    public string? WorkspaceId { get; init; }

    /// <summary>What was billed, e.g. <c>Claude Sonnet 4 Usage - Input Tokens</c>.</summary>
    public string? Description { get; init; }

    /// <summary><c>tokens</c>, <c>web_search</c>, <c>code_execution</c>, <c>session_usage</c>, …</summary>
    public string? CostType { get; init; }

    /// <summary><c>uncached_input_tokens</c>, <c>output_tokens</c>, <c>cache_read_input_tokens</c>, …</summary>
    public string? TokenType { get; init; }

    /// <summary>The model id, when the report names it.</summary>
    public string? Model { get; init; }

    /// <summary>The service tier, when the report names it.</summary>
    public string? ServiceTier { get; init; }

    /// <summary>The context window, when the report names it.</summary>
    public string? ContextWindow { get; init; }

    /// <summary>The inference geography, when the report names it.</summary>
    public string? InferenceGeo { get; init; }

    /// <summary>The amount in US dollars (the report's cents divided by 100, exactly).</summary>
    public required decimal AmountUsd { get; init; }

    /// <summary>The currency (<c>USD</c>).</summary>
    public string Currency { get; init; } = "USD";

    /// <summary>The row's identity: day and every grouping dimension.</summary>
    public string Key => string.Join('\u001f', Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        WorkspaceId, Description, CostType, TokenType, Model, ServiceTier, ContextWindow, InferenceGeo);
}
