using System.Globalization;
using Spectre.Console;
using Tally.Core.Alerts;
using Tally.Core.Export;

namespace Tally.Cli.Output;

/// <summary>Prints the alert history.</summary>
internal static class AlertWriter
{
    /// <summary>A table: when, what kind, the message, and where it went.</summary>
    public static void WriteTable(IReadOnlyList<Alert> alerts, TimeZoneInfo zone, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(console);
        if (alerts.Count == 0)
        {
            console.MarkupLine("No alerts.");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey).Title("Alerts");
        table.AddColumn("Raised").AddColumn("Kind").AddColumn("Alert").AddColumn("Delivered");
        foreach (var alert in alerts)
        {
            table.AddRow(
                Markup.Escape(TimeZoneInfo.ConvertTime(alert.RaisedAt, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
                Markup.Escape(AlertJson.Of(alert.Kind)),
                Markup.Escape(alert.Message),
                Markup.Escape(Delivered(alert)));
        }

        console.Write(table);
        console.MarkupLineInterpolated($"[grey]Times in {zone.Id}. Each threshold alerts once per window; of several reached at once, only the highest is sent.[/]");
    }

    /// <summary>JSON (<see cref="AlertListJson"/>).</summary>
    public static void WriteJson(IReadOnlyList<Alert> alerts, TimeZoneInfo zone, TextWriter output) =>
        JsonOutput.Write(output, json => AlertListJson.Write(json, alerts, zone));

    private static string Delivered(Alert alert)
    {
        if (alert.Suppressed is { } why)
        {
            return "not sent: " + why;
        }

        if (alert.Deliveries.Count == 0)
        {
            return "pending";
        }

        return string.Join(", ", alert.Deliveries.Select(static d => d.Outcome switch
        {
            DeliveryOutcome.Sent => d.Channel + (d.Attempts > 1 ? $" (after {d.Attempts} tries)" : string.Empty),
            DeliveryOutcome.Skipped => $"{d.Channel} skipped",
            _ => $"{d.Channel} failed ({d.Detail})",
        }));
    }
}
