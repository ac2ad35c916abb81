using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tally.Server.Http;

namespace Tally.Server.Api;

/// <summary>
/// <c>GET /api/costs/rate-limits</c>: the most restrictive headroom per model and per account (the reading with the
/// least left), with when it was observed and which signal said so. Burn rate, not quota: a reading is what a limit
/// looked like when a response came back. Without signals the lists are empty.
/// </summary>
internal sealed class RateLimitsEndpoint(IRateLimitSignals? signals)
{
    /// <summary>Writes the answer.</summary>
    public async Task WriteAsync(HttpContext context)
    {
        var query = new QueryReader(context, []);
        if (query.Failed)
        {
            await Problem.BadParametersAsync(context, query.Errors);
            return;
        }

        var readings = signals is null ? [] : await signals.ReadAsync(context.RequestAborted);
        await JsonBody.OkAsync(context, json =>
        {
            json.WriteStartObject();
            ApiJson.WriteInstant(json, "observedAt", readings.Count == 0 ? null : readings.Max(static r => r.ObservedAt));
            WriteScope(json, "models", "model", readings.Where(static r => !r.Account));
            WriteScope(json, "accounts", "account", readings.Where(static r => r.Account));
            ApiJson.WriteList(json, "signals", readings.Select(static r => r.Signal).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            json.WriteEndObject();
        });
    }

    /// <summary>The reading with the least headroom per subject (readings without a headroom count last).</summary>
    public static IEnumerable<RateLimitObservation> MostRestrictive(IEnumerable<RateLimitObservation> readings) =>
        readings.GroupBy(static r => r.Subject, StringComparer.Ordinal)
            .Select(static g => g.OrderBy(static r => r.Headroom ?? 2m).ThenByDescending(static r => r.ObservedAt).First())
            .OrderBy(static r => r.Headroom ?? 2m).ThenBy(static r => r.Subject, StringComparer.Ordinal);

    private static void WriteScope(Utf8JsonWriter json, string name, string subject, IEnumerable<RateLimitObservation> readings)
    {
        json.WriteStartArray(name);
        foreach (var reading in MostRestrictive(readings))
        {
            json.WriteStartObject();
            json.WriteString(subject, reading.Subject);
            json.WriteString("limit", reading.Limit);
            if (reading.Headroom is { } headroom)
            {
                json.WriteNumber("headroom", Math.Round(headroom, 6, MidpointRounding.AwayFromZero));
            }
            else
            {
                json.WriteNull("headroom");
            }

            WriteNumberOrNull(json, "maximum", reading.Maximum);
            WriteNumberOrNull(json, "remaining", reading.Remaining);
            ApiJson.WriteInstant(json, "resetsAt", reading.ResetsAt);
            ApiJson.WriteInstant(json, "observedAt", reading.ObservedAt);
            json.WriteString("signal", reading.Signal);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
