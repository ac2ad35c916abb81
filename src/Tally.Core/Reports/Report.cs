namespace Tally.Core.Reports;

/// <summary>A finished report: its rows, their totals and what a reader must be warned about.</summary>
public sealed record Report
{
    /// <summary>What was asked.</summary>
    public required ReportRequest Request { get; init; }

    /// <summary>The rows, in order.</summary>
    public required IReadOnlyList<ReportLine> Lines { get; init; }

    /// <summary>The sum of every row.</summary>
    public required UsageTotals Totals { get; init; }

    /// <summary>Model ids in the report that no catalog row priced (their cost counts as $0).</summary>
    public required IReadOnlyList<string> UnpricedModels { get; init; }

    /// <summary>The price catalog version calculated costs come from.</summary>
    public required string CatalogVersion { get; init; }

    /// <summary>Lines the index could not count, in all (see <c>tally problems</c>).</summary>
    public long Problems { get; init; }
}
