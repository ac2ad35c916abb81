namespace Tally.Core.Pricing;

/// <summary>A factor applied to a request's whole token cost over a range of days (fast mode, batch, residency…).</summary>
public sealed record MultiplierRow : DatedRow
{
    /// <summary>The factor, for example 0.5 for batch or 1.1 for data residency.</summary>
    public required decimal Multiplier { get; init; }
}
