namespace Tally.Core.Reports;

/// <summary>One row of a report: its key, its totals and the same totals per model.</summary>
public sealed record ReportLine
{
    /// <summary>The row's key: a day, a week's first day, a month, a session id, a project or a model.</summary>
    public required string Key { get; init; }

    /// <summary>The row's totals.</summary>
    public required UsageTotals Totals { get; init; }

    /// <summary>The totals per model, most expensive first.</summary>
    public required IReadOnlyList<ModelLine> Models { get; init; }

    /// <summary>The project the row belongs to (session rows), or the project's path (project rows).</summary>
    public string? ProjectPath { get; init; }

    /// <summary>Sessions in the row (project rows).</summary>
    public int? Sessions { get; init; }

    /// <summary>The catalog model that priced this id (model rows; null when none did).</summary>
    public string? CatalogModel { get; init; }
}

/// <summary>A row's totals for one model.</summary>
/// <param name="Model">The model id as the source wrote it.</param>
/// <param name="Totals">The totals.</param>
public sealed record ModelLine(string Model, UsageTotals Totals);
