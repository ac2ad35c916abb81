namespace Tally.Cli.StatusLine;

/// <summary>The figures one status line shows.</summary>
internal sealed record StatusSnapshot
{
    /// <summary>The model's name.</summary>
    public string? Model { get; init; }

    /// <summary>The session's cost.</summary>
    public decimal? SessionCostUsd { get; init; }

    /// <summary>True when <see cref="SessionCostUsd"/> is Claude Code's own estimate (the index has no record of the session yet).</summary>
    public bool SessionCostIsClientEstimate { get; init; }

    /// <summary>Today's cost (null: the index could not be read).</summary>
    public decimal? TodayCostUsd { get; init; }

    /// <summary>The active block's cost.</summary>
    public decimal? BlockCostUsd { get; init; }

    /// <summary>Time left in the active block.</summary>
    public TimeSpan? BlockLeft { get; init; }

    /// <summary>True when the index was read and no block is active.</summary>
    public bool NoActiveBlock { get; init; }

    /// <summary>The active block's burn rate, USD per hour.</summary>
    public decimal? CostPerHour { get; init; }

    /// <summary>Tokens in the context (the latest call's prompt).</summary>
    public long? ContextTokens { get; init; }

    /// <summary>The model's context window.</summary>
    public long? ContextWindow { get; init; }

    /// <summary>Context use in percent.</summary>
    public decimal? ContextPercent { get; init; }

    /// <summary>The 5-hour window's utilisation from Claude Code's <c>rate_limits</c>.</summary>
    public RateLimit? FiveHour { get; init; }

    /// <summary>The weekly window's utilisation from Claude Code's <c>rate_limits</c>.</summary>
    public RateLimit? SevenDay { get; init; }

    /// <summary>A short remark (e.g. the index was busy), shown at the end.</summary>
    public string? Note { get; init; }
}
