using System.Globalization;
using Spectre.Console;
using Tally.Core.Billing;

namespace Tally.Cli.Output;

/// <summary>A <see cref="BilledView"/> (an <c>admin</c> view or <c>reconcile</c>) as a table for people, its notes on
/// standard error. JSON and CSV are <see cref="Core.Export.BilledJson"/>'s, shared with the server.</summary>
internal static class BilledTable
{
    /// <summary>Prints the table on <paramref name="console"/> and its notes on <paramref name="error"/>.</summary>
    public static void Write(BilledView view, IAnsiConsole console, IAnsiConsole error)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(error);
        var columns = view.Columns;
        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey).Title(Markup.Escape(view.Title));
        foreach (var column in columns)
        {
            var c = new TableColumn(column.Heading);
            table.AddColumn(column.Kind == BilledColumnKind.Text ? c : c.RightAligned());
        }

        foreach (var row in view.Rows)
        {
            table.AddRow(columns.Select((c, i) => Markup.Escape(Cell(c, row[i]))).ToArray());
        }

        if (view.Totals is { } totals && view.Rows.Count > 0)
        {
            table.AddEmptyRow();
            table.AddRow(columns.Select((c, i) => "[bold yellow]" + Markup.Escape(Cell(c, totals[i])) + "[/]").ToArray());
        }

        console.Write(table);
        foreach (var note in view.Notes)
        {
            error.MarkupLineInterpolated($"[yellow]⚠ {note}[/]");
        }
    }

    /// <summary>Prints <paramref name="view"/> as JSON (<paramref name="json"/>), CSV (<paramref name="csv"/>) or a table.</summary>
    public static void Print(BilledView view, bool json, bool csv, App.TallyEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (json)
        {
            JsonOutput.Write(environment.Out, writer => Core.Export.BilledJson.Write(writer, view));
        }
        else if (csv)
        {
            Core.Export.BilledJson.WriteCsv(environment.Out, view);
        }
        else
        {
            Write(view, environment.Console, environment.Error);
        }
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
}
