using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Tally.Core.Export;

namespace Tally.Cli.Output;

/// <summary>What a column of a <see cref="BilledTable"/> holds.</summary>
internal enum BilledColumnKind
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

/// <summary>One column: its heading for people, its name in JSON and CSV, and its kind.</summary>
internal sealed record BilledColumn(string Heading, string Name, BilledColumnKind Kind);

/// <summary>
/// The rows an <c>admin</c> view or <c>reconcile</c> prints, written as a table for people, or as JSON or CSV with the
/// same columns (JSON: <c>{ "&lt;rows&gt;": [ … ], "totals": { … }, "notes": [ … ] }</c>).
/// </summary>
internal sealed record BilledTable
{
    /// <summary>The table's title.</summary>
    public required string Title { get; init; }

    /// <summary>The JSON property holding the rows.</summary>
    public required string RowsName { get; init; }

    /// <summary>The columns.</summary>
    public required IReadOnlyList<BilledColumn> Columns { get; init; }

    /// <summary>The rows, one value per column.</summary>
    public required IReadOnlyList<object?[]> Rows { get; init; }

    /// <summary>The totals row (null: none), one value per column (the first is the label).</summary>
    public object?[]? Totals { get; init; }

    /// <summary>Things the reader must not miss.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Extra top-level JSON properties written before the rows (e.g. the window).</summary>
    public IReadOnlyList<(string Name, string Value)> Header { get; init; } = [];

    /// <summary>Prints the table on <paramref name="console"/> and its notes on <paramref name="error"/>.</summary>
    public void WriteTable(IAnsiConsole console, IAnsiConsole error)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(error);
        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey).Title(Markup.Escape(Title));
        foreach (var column in Columns)
        {
            var c = new TableColumn(column.Heading);
            table.AddColumn(column.Kind == BilledColumnKind.Text ? c : c.RightAligned());
        }

        foreach (var row in Rows)
        {
            table.AddRow(Columns.Select((c, i) => Markup.Escape(Cell(c, row[i]))).ToArray());
        }

        if (Totals is { } totals && Rows.Count > 0)
        {
            table.AddEmptyRow();
            table.AddRow(Columns.Select((c, i) => "[bold yellow]" + Markup.Escape(Cell(c, totals[i])) + "[/]").ToArray());
        }

        console.Write(table);
        foreach (var note in Notes)
        {
            error.MarkupLineInterpolated($"[yellow]⚠ {note}[/]");
        }
    }

    /// <summary>Writes the JSON document.</summary>
    public void WriteJson(TextWriter output) => JsonOutput.Write(output, json =>
    {
        json.WriteStartObject();
        foreach (var (name, value) in Header)
        {
            json.WriteString(name, value);
        }

        json.WriteStartArray(RowsName);
        foreach (var row in Rows)
        {
            WriteObject(json, row, skipFirst: false);
        }

        json.WriteEndArray();
        if (Totals is { } totals)
        {
            json.WritePropertyName("totals");
            WriteObject(json, totals, skipFirst: true);
        }

        json.WriteStartArray("notes");
        foreach (var note in Notes)
        {
            json.WriteStringValue(note);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    });

    /// <summary>Writes the CSV (a header, then the rows; no totals).</summary>
    public void WriteCsv(TextWriter output)
    {
        CsvText.Record(output, Columns.Select(static c => c.Name));
        foreach (var row in Rows)
        {
            CsvText.Record(output, Columns.Select((c, i) => Raw(row[i])));
        }
    }

    private void WriteObject(Utf8JsonWriter json, object?[] row, bool skipFirst)
    {
        json.WriteStartObject();
        for (var i = skipFirst ? 1 : 0; i < Columns.Count; i++)
        {
            var name = Columns[i].Name;
            switch (row[i])
            {
                case null:
                    json.WriteNull(name);
                    break;
                case long count:
                    json.WriteNumber(name, count);
                    break;
                case decimal amount:
                    json.WriteNumber(name, amount);
                    break;
                case bool flag:
                    json.WriteBoolean(name, flag);
                    break;
                default:
                    json.WriteString(name, row[i]!.ToString());
                    break;
            }
        }

        json.WriteEndObject();
    }

    private static string Cell(BilledColumn column, object? value) => value switch
    {
        null => column.Kind == BilledColumnKind.Text ? string.Empty : "-",
        long count => Format.Count(count),
        bool flag => flag ? "yes" : "no",
        decimal amount when column.Kind == BilledColumnKind.Money => Format.Usd(amount),
        decimal ratio when column.Kind == BilledColumnKind.Ratio => (ratio * 100m).ToString("0.0", CultureInfo.InvariantCulture) + "%",
        decimal other => other.ToString(CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string Raw(object? value) => value switch
    {
        null => string.Empty,
        long count => count.ToString(CultureInfo.InvariantCulture),
        decimal amount => amount.ToString(CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        _ => value.ToString() ?? string.Empty,
    };
}
