using System.Globalization;
using System.Text.Json;
using Tally.Core.Alerts;
using Tally.Core.Limits;

namespace Tally.Core.Export;

/// <summary>Plan usage now as JSON (schema in docs/json-schemas.md): what <c>tally limits --json</c> prints and
/// <c>GET /api/limits</c> returns — each window's figures, each with the signal it came from.</summary>
public static class LimitsJson
{
    /// <summary>Writes <paramref name="report"/> as one JSON object.</summary>
    public static void Write(Utf8JsonWriter json, LimitsReport report, TimeZoneInfo zone, string? plansFile, string catalogVersion)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(zone);
        json.WriteStartObject();
        json.WriteString("now", AlertJson.Time(report.Now));
        json.WriteStartObject("plan");
        json.WriteString("name", report.Plan.Name);
        json.WriteString("label", report.Plan.Label);
        json.WriteString("source", Provenance.Plan.Label());
        json.WriteBoolean("estimate", true);
        json.WriteEndObject();
        json.WriteBoolean("blocked", report.Blocked);
        Instant(json, "blockedUntil", report.Blocked ? report.BlockedUntil : null);
        json.WriteString("blockedBy", report.BlockedBy is { } by ? WindowName(by) : null);
        json.WriteStartArray("windows");
        foreach (var window in report.Windows)
        {
            WriteWindow(json, window);
        }

        json.WriteEndArray();
        json.WriteStartObject("today");
        json.WriteString("date", DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(report.Now, zone).DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        json.WriteString("startTime", AlertJson.Time(report.TodayStart));
        json.WriteNumber("messages", report.Today.Calls);
        json.WriteNumber("opusMessages", report.OpusMessagesToday);
        json.WriteNumber("totalTokens", report.Today.Tokens.Total);
        json.WriteNumber("costUSD", report.Today.CostUsd);
        json.WriteString("source", Provenance.Index.Label());
        json.WriteEndObject();
        if (report.BurnRate is { } rate)
        {
            json.WriteStartObject("burnRate");
            json.WriteNumber("tokensPerMinute", rate.TokensPerMinute);
            json.WriteNumber("tokensPerMinuteForIndicator", rate.TokensPerMinuteForIndicator);
            json.WriteNumber("costPerHour", rate.CostPerHour);
            json.WriteString("source", Provenance.Index.Label());
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("burnRate");
        }

        json.WriteStartObject("tally");
        json.WriteNumber("schemaVersion", ReportJson.SchemaVersion);
        json.WriteString("report", "limits");
        json.WriteString("timezone", zone.Id);
        json.WriteString("plansFile", plansFile);
        json.WriteString("catalogVersion", catalogVersion);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>The JSON name of a window kind: <c>5h</c>, <c>weekly</c>, <c>model</c>.</summary>
    public static string WindowName(WindowKind kind) => kind switch
    {
        WindowKind.FiveHour => "5h",
        WindowKind.Weekly => "weekly",
        WindowKind.Model => "model",
        _ => "unknown",
    };

    private static void WriteWindow(Utf8JsonWriter json, WindowStatus w)
    {
        json.WriteStartObject();
        json.WriteString("window", WindowName(w.Kind));
        json.WriteString("model", w.Model);
        Instant(json, "startTime", w.Start);
        Instant(json, "resetsAt", w.ResetsAt);
        json.WriteString("resetSource", w.ResetsAt is null && w.Start is null ? null : w.ResetSource.Label());
        Number(json, "resetsInMinutes", w.TimeToReset is { } left ? (long)Math.Floor(left.TotalMinutes) : null);

        json.WriteStartObject("used");
        json.WriteNumber("costUSD", w.Used.CostUsd);
        json.WriteNumber("messages", w.Used.Calls);
        json.WriteNumber("opusMessages", w.OpusMessages);
        json.WriteNumber("totalTokens", w.Used.Tokens.Total);
        json.WriteString("source", Provenance.Index.Label());
        json.WriteEndObject();

        json.WriteStartObject("limit");
        Number(json, "costUSD", w.LimitUsd);
        json.WriteString("source", w.LimitUsd is null ? null : w.LimitSource.Label());
        json.WriteNumber("samples", w.LimitSamples);
        json.WriteEndObject();

        json.WriteStartObject("utilisation");
        Number(json, "percent", w.Utilisation is { } u ? Math.Round(u, 2, MidpointRounding.AwayFromZero) : null);
        json.WriteString("source", w.Utilisation is null ? null : w.UtilisationSource.Label());
        Instant(json, "observedAt", w.ObservedAt);
        Number(json, "observedPercent", w.ObservedUtilisation);
        json.WriteEndObject();

        json.WriteBoolean("blocked", w.Blocked);
        Number(json, "headroomPercent", w.Headroom is { } h ? Math.Round(h, 2, MidpointRounding.AwayFromZero) : null);
        Instant(json, "projectedLimitAt", w.ProjectedLimitAt);
        json.WriteBoolean("limitBeforeReset", w.LimitBeforeReset);
        json.WriteString("projectionSource", w.ProjectedLimitAt is null ? null : Provenance.Estimate.Label());
        json.WriteStartArray("notes");
        foreach (var note in w.Notes)
        {
            json.WriteStringValue(note);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Instant(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            json.WriteString(name, AlertJson.Time(v));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter json, string name, decimal? value)
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
