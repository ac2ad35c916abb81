using System.Text.Json;
using Tally.Core.Alerts;
using Tally.Core.Budgets;

namespace Tally.Core.Export;

/// <summary>Budgets and where each stands as JSON (schema in docs/json-schemas.md): what <c>tally budget list --json</c>
/// prints and <c>GET /api/budgets</c> returns.</summary>
public static class BudgetsJson
{
    /// <summary><c>{"budgets": [{…the file's fields…, "status": [{subject, label, window, used, percent, burnPerHour,
    /// projectedAt, crossed, actionDue, note}]}], "file", "timezone"}</c>.</summary>
    public static void Write(Utf8JsonWriter json, IReadOnlyList<Budget> budgets, IReadOnlyList<BudgetStatus> statuses, TimeZoneInfo zone, string? file)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(budgets);
        ArgumentNullException.ThrowIfNull(statuses);
        ArgumentNullException.ThrowIfNull(zone);
        json.WriteStartObject();
        json.WriteStartArray("budgets");
        foreach (var budget in budgets)
        {
            json.WriteStartObject();
            BudgetFile.WriteFields(json, budget);
            json.WriteStartArray("status");
            foreach (var status in statuses.Where(s => ReferenceEquals(s.Budget, budget)))
            {
                WriteStatus(json, status);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("file", file);
        json.WriteString("timezone", zone.Id);
        json.WriteEndObject();
    }

    private static void WriteStatus(Utf8JsonWriter json, BudgetStatus status)
    {
        json.WriteStartObject();
        Nullable(json, "subject", status.Subject);
        Nullable(json, "label", status.SubjectLabel);
        json.WriteStartObject("window");
        json.WriteString("start", AlertJson.Time(status.Window.Start));
        Nullable(json, "end", status.Window.End is { } end ? AlertJson.Time(end) : null);
        json.WriteEndObject();
        Number(json, "used", status.Used);
        Number(json, "percent", status.Percent is { } p ? Math.Round(p, 2, MidpointRounding.AwayFromZero) : null);
        Number(json, "burnPerHour", status.BurnPerHour is { } b ? Math.Round(b, 6, MidpointRounding.AwayFromZero) : null);
        Nullable(json, "projectedAt", status.ProjectedAt is { } at ? AlertJson.Time(at) : null);
        json.WriteStartArray("crossed");
        foreach (var threshold in status.Crossed)
        {
            json.WriteNumberValue(threshold);
        }

        json.WriteEndArray();
        Nullable(json, "actionDue", status.ActionDue is { } due ? BudgetText.Of(due) : null);
        Nullable(json, "note", status.Note);
        json.WriteEndObject();
    }

    private static void Nullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void Number(Utf8JsonWriter json, string name, decimal? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number / 1.000000000000000000000000000000000m);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
