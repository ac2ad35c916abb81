using System.Text.Json;
using Tally.Core.Alerts;

namespace Tally.Core.Export;

/// <summary>The alert history as JSON (schema in docs/json-schemas.md): what <c>tally alerts --json</c> prints and
/// <c>GET /api/alerts</c> returns.</summary>
public static class AlertListJson
{
    /// <summary><c>{"alerts": [{…alert fields…, "deliveries": [{channel, outcome, attempts, detail, at}]}], "timezone"}</c>.</summary>
    public static void Write(Utf8JsonWriter json, IReadOnlyList<Alert> alerts, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(zone);
        json.WriteStartObject();
        json.WriteStartArray("alerts");
        foreach (var alert in alerts)
        {
            json.WriteStartObject();
            AlertJson.WriteFields(json, alert);
            json.WriteStartArray("deliveries");
            foreach (var delivery in alert.Deliveries)
            {
                json.WriteStartObject();
                json.WriteString("channel", delivery.Channel);
                json.WriteString("outcome", AlertJson.Of(delivery.Outcome));
                json.WriteNumber("attempts", delivery.Attempts);
                if (delivery.Detail is null)
                {
                    json.WriteNull("detail");
                }
                else
                {
                    json.WriteString("detail", delivery.Detail);
                }

                json.WriteString("at", AlertJson.Time(delivery.At));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("timezone", zone.Id);
        json.WriteEndObject();
    }
}
