namespace Tally.Core.Pricing;

/// <summary>Everything the catalog knows about one model: its ids, dated prices, tiers and multipliers.</summary>
public sealed record ModelPricing
{
    /// <summary>The canonical model id (the Anthropic API form, lower case).</summary>
    public required string Id { get; init; }

    /// <summary>Other ids that mean this model: dateless ids, <c>-latest</c> and <c>-0</c> forms.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Standard prices by day, sorted by start, not overlapping.</summary>
    public IReadOnlyList<PriceRow> Prices { get; init; } = [];

    /// <summary>Long-context tiers by day, sorted by start, not overlapping; none on a day means no tier that day.</summary>
    public IReadOnlyList<LongContextTier> LongContext { get; init; } = [];

    /// <summary>Fast-mode multipliers by day (<c>usage.speed == "fast"</c>); none means fast mode costs the same.</summary>
    public IReadOnlyList<MultiplierRow> FastMode { get; init; } = [];

    /// <summary>Data-residency multipliers by day (<c>usage.inference_geo == "us"</c>).</summary>
    public IReadOnlyList<MultiplierRow> DataResidency { get; init; } = [];

    /// <summary>Bedrock regional-endpoint multipliers by day (raw id with a <c>us.</c>, <c>eu.</c>… prefix).</summary>
    public IReadOnlyList<MultiplierRow> RegionalEndpoint { get; init; } = [];

    /// <summary>The model's context window in tokens, when a source gave one (informational).</summary>
    public long? MaxInputTokens { get; init; }

    /// <summary>Where the model's figures came from.</summary>
    public string? Source { get; init; }

    /// <summary>The day the model's figures were last checked.</summary>
    public DateOnly? AsOf { get; init; }

    /// <summary>A remark for people reading the catalog.</summary>
    public string? Note { get; init; }

    /// <summary>
    /// The price row used for <paramref name="day"/>: the row covering it; else, when the day falls after the
    /// start of some row (a gap, or after the last row ended), the row that started most recently before it — the
    /// prices last in force; else (the day is before every row: models are used in previews before their catalog
    /// dates) the earliest row. <see langword="null"/> only when the model has no rows at all.
    /// </summary>
    /// <param name="day">The UTC calendar day of the request.</param>
    public PriceRow? PriceOn(DateOnly day)
    {
        // Indexed rather than foreach: enumerating an IReadOnlyList allocates an enumerator, and every record is priced.
        PriceRow? inForce = null;
        for (int i = 0; i < Prices.Count; i++)
        {
            PriceRow row = Prices[i];
            if (row.Covers(day))
            {
                return row;
            }

            if (row.Start <= day)
            {
                inForce = row;
            }
        }

        return inForce ?? (Prices.Count > 0 ? Prices[0] : null);
    }

    /// <summary>The long-context tier covering <paramref name="day"/>, if any (no fallback: a tier not in force does not apply).</summary>
    /// <param name="day">The UTC calendar day of the request.</param>
    public LongContextTier? LongContextOn(DateOnly day) => DatedRows.Covering(LongContext, day);

    /// <summary>The fast-mode multiplier in force on <paramref name="day"/> (1 when none).</summary>
    public decimal FastModeOn(DateOnly day) => DatedRows.MultiplierOn(FastMode, day);
}
