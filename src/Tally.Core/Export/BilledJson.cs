using System.Globalization;
using System.Text.Json;
using Tally.Core.Billing;

namespace Tally.Core.Export;

/// <summary>
/// A <see cref="BilledView"/> as JSON (<c>{ "&lt;header&gt;": …, "&lt;rows&gt;": [ … ], "totals": { … }, "notes": [ … ] }</c>)
/// or CSV (a header, then the rows; no totals), with the same column names: what <c>tally admin …</c> and
/// <c>tally reconcile</c> print with <c>--json</c>/<c>--csv</c>, and what the server's billed endpoints answer.
/// </summary>
public static class BilledJson
{
    /// <summary>Writes the JSON document.</summary>
    public static void Write(Utf8JsonWriter json, BilledView view)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(view);
        json.WriteStartObject();
        foreach (var (name, value) in view.Header)
        {
            json.WriteString(name, value);
        }

        json.WriteStartArray(view.RowsName);
        foreach (var row in view.Rows)
        {
            WriteObject(json, view.Columns, row, skipFirst: false);
        }

        json.WriteEndArray();
        if (view.Totals is { } totals)
        {
            json.WritePropertyName("totals");
            WriteObject(json, view.Columns, totals, skipFirst: true);
        }

        json.WriteStartArray("notes");
        foreach (var note in view.Notes)
        {
            json.WriteStringValue(note);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Writes the CSV (a header, then the rows; no totals).</summary>
    public static void WriteCsv(TextWriter output, BilledView view)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(view);
        CsvText.Record(output, view.Columns.Select(static c => c.Name));
        foreach (var row in view.Rows)
        {
            CsvText.Record(output, view.Columns.Select((c, i) => Raw(row[i])));
        }
    }

    private static void WriteObject(Utf8JsonWriter json, IReadOnlyList<BilledColumn> columns, IReadOnlyList<object?> row, bool skipFirst)
    {
        json.WriteStartObject();
        for (var i = skipFirst ? 1 : 0; i < columns.Count; i++)
        {
            var name = columns[i].Name;
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

    private static string Raw(object? value) => value switch
    {
        null => string.Empty,
        long count => count.ToString(CultureInfo.InvariantCulture),
        decimal amount => amount.ToString(CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        _ => value.ToString() ?? string.Empty,
    };
}
