namespace Tally.Core.Pricing;

/// <summary>
/// A catalog row in force over a range of days: <see cref="From"/> to <see cref="To"/>, both inclusive, as UTC
/// calendar days; <see langword="null"/> leaves that end open.
/// </summary>
public abstract record DatedRow
{
    /// <summary>The first day the row applies (inclusive); <see langword="null"/> for "since always".</summary>
    public DateOnly? From { get; init; }

    /// <summary>The last day the row applies (inclusive); <see langword="null"/> for "until further notice".</summary>
    public DateOnly? To { get; init; }

    /// <summary>Where the figure came from (for example <c>anthropic-pricing-page</c> or <c>litellm</c>).</summary>
    public string? Source { get; init; }

    /// <summary>The day the figure was last checked against its source.</summary>
    public DateOnly? AsOf { get; init; }

    /// <summary>A remark for people reading the catalog (derivations, disagreements between sources).</summary>
    public string? Note { get; init; }

    /// <summary>True when <paramref name="day"/> lies within <see cref="From"/>..<see cref="To"/>.</summary>
    /// <param name="day">A UTC calendar day.</param>
    public bool Covers(DateOnly day) => (From is null || From.Value <= day) && (To is null || day <= To.Value);

    /// <summary>The first day as a comparable value (<see cref="DateOnly.MinValue"/> when open).</summary>
    internal DateOnly Start => From ?? DateOnly.MinValue;

    /// <summary>The last day as a comparable value (<see cref="DateOnly.MaxValue"/> when open).</summary>
    internal DateOnly End => To ?? DateOnly.MaxValue;
}
