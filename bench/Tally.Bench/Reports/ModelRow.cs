namespace Tally.Bench.Reports;

/// <summary>One entry of a row's <c>modelBreakdowns</c>.</summary>
internal sealed record ModelRow(string Name, Tokens4 Tokens, decimal Cost, bool MissingPricing);
