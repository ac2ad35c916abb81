namespace Tally.Core.Billing;

/// <summary>
/// The rows a billed view (<c>tally admin costs|usage|claude-code</c>, <c>tally reconcile</c>, and the server's
/// <c>/api/admin/…</c> and <c>/api/reconcile</c>) shows: built once here, written as a table for people by the CLI, or
/// as JSON or CSV with the same columns (<see cref="Export.BilledJson"/>), so every front end prints the same document.
/// </summary>
public sealed record BilledView
{
    /// <summary>The table's title.</summary>
    public required string Title { get; init; }

    /// <summary>The JSON property holding the rows.</summary>
    public required string RowsName { get; init; }

    /// <summary>The columns.</summary>
    public required IReadOnlyList<BilledColumn> Columns { get; init; }

    /// <summary>The rows, one value per column: null, <see cref="string"/>, <see cref="long"/>, <see cref="decimal"/> or <see cref="bool"/>.</summary>
    public required IReadOnlyList<IReadOnlyList<object?>> Rows { get; init; }

    /// <summary>The totals row (null: none), one value per column (the first is the label).</summary>
    public IReadOnlyList<object?>? Totals { get; init; }

    /// <summary>Things the reader must not miss.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Extra top-level JSON properties written before the rows (e.g. the window).</summary>
    public IReadOnlyList<(string Name, string Value)> Header { get; init; } = [];
}
