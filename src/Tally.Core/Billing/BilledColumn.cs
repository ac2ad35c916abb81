namespace Tally.Core.Billing;

/// <summary>One column of a <see cref="BilledView"/>: its heading for people, its name in JSON and CSV, and its kind.</summary>
/// <param name="Heading">The heading in tables.</param>
/// <param name="Name">The property name in JSON and the header in CSV.</param>
/// <param name="Kind">What its values are.</param>
public sealed record BilledColumn(string Heading, string Name, BilledColumnKind Kind);
