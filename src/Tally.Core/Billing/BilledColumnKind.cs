namespace Tally.Core.Billing;

/// <summary>What a column of a <see cref="BilledView"/> holds.</summary>
public enum BilledColumnKind
{
    /// <summary>Text (null: blank in tables and CSV, null in JSON).</summary>
    Text,

    /// <summary>A count (long).</summary>
    Count,

    /// <summary>Dollars (decimal): to the cent in tables, exact in JSON and CSV.</summary>
    Money,

    /// <summary>A fraction 0–1 (decimal, or null when undefined): a percentage in tables.</summary>
    Ratio,
}
