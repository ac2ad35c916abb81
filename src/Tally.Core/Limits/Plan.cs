namespace Tally.Core.Limits;

/// <summary>
/// A subscription plan's limits as Tally estimates them. Anthropic publishes no token budgets: every figure here is an
/// approximation (the defaults are the Claude-Code-Usage-Monitor's, see docs/configuration.md) or the user's own, and is
/// labelled <see cref="Provenance.Plan"/> wherever it is shown. A null figure is unknown, and is learned instead.
/// </summary>
public sealed record Plan
{
    /// <summary>The plan's key in the plan file (<c>pro</c>, <c>max5</c>, <c>max20</c>, <c>team</c>, <c>custom</c>, …).</summary>
    public required string Name { get; init; }

    /// <summary>A name for people.</summary>
    public string? Label { get; init; }

    /// <summary>What a 5-hour window allows, in USD at API prices (the monitor's cost limit).</summary>
    public decimal? FiveHourCostUsd { get; init; }

    /// <summary>What a 5-hour window allows, in messages (billed calls).</summary>
    public long? FiveHourMessages { get; init; }

    /// <summary>What a 5-hour window allows, in input and output tokens.</summary>
    public long? FiveHourTokens { get; init; }

    /// <summary>What a week allows, in USD at API prices.</summary>
    public decimal? WeeklyCostUsd { get; init; }

    /// <summary>Model families with a weekly limit of their own (e.g. <c>opus</c>), with what a week allows them in USD
    /// at API prices (null: unknown).</summary>
    public IReadOnlyDictionary<string, decimal?> ModelWeeklyCostUsd { get; init; } = new Dictionary<string, decimal?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>A remark shown with the plan.</summary>
    public string? Note { get; init; }
}
