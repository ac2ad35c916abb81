using System.Globalization;
using System.Text.Json;
using Tally.Core.Budgets;

namespace Tally.Core.Alerts;

/// <summary>One alert as JSON: the shape of <c>tally alerts --json</c> entries and of the webhook payload
/// (docs/json-schemas.md).</summary>
public static class AlertJson
{
    /// <summary>The version of the alert shape; a field is only ever added within a version.</summary>
    public const int SchemaVersion = 1;

    /// <summary>An alert kind's word: <c>threshold</c>, <c>projected</c>, <c>rate-limit</c>.</summary>
    public static string Of(AlertKind kind) => kind switch
    {
        AlertKind.Threshold => "threshold",
        AlertKind.Projected => "projected",
        _ => "rate-limit",
    };

    /// <summary>A rate-limit source's word: <c>limit-line</c>, <c>http-429</c>, <c>status-line</c>.</summary>
    public static string Of(RateLimitSource source) => source switch
    {
        RateLimitSource.LimitLine => "limit-line",
        RateLimitSource.Http429 => "http-429",
        _ => "status-line",
    };

    /// <summary>A delivery outcome's word: <c>sent</c>, <c>skipped</c>, <c>failed</c>.</summary>
    public static string Of(DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.Sent => "sent",
        DeliveryOutcome.Skipped => "skipped",
        _ => "failed",
    };

    /// <summary>An instant as ISO-8601 UTC with milliseconds.</summary>
    public static string Time(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Writes the alert's fields (not the enclosing braces), so callers can add their own.</summary>
    public static void WriteFields(Utf8JsonWriter json, Alert alert)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(alert);
        json.WriteNumber("id", alert.Id);
        json.WriteString("key", alert.Key);
        json.WriteString("kind", Of(alert.Kind));
        json.WriteString("raisedAt", Time(alert.RaisedAt));
        json.WriteString("message", alert.Message);
        if (alert.Budget is { } budget)
        {
            json.WritePropertyName("budget");
            BudgetFile.WriteOne(json, budget);
        }
        else
        {
            json.WriteNull("budget");
        }

        WriteString(json, "subject", alert.Subject);
        WriteNumber(json, "threshold", alert.Threshold);
        WriteNumber(json, "used", alert.Used);
        WriteNumber(json, "percent", alert.Used is { } used && alert.Budget is { } b ? Math.Round(used * 100m / b.Limit, 2, MidpointRounding.AwayFromZero) : null);
        WriteNumber(json, "burnPerHour", alert.BurnPerHour is { } burn ? Math.Round(burn, 6, MidpointRounding.AwayFromZero) : null);
        if (alert.Window is { } window)
        {
            json.WriteStartObject("window");
            json.WriteString("start", Time(window.Start));
            WriteString(json, "end", window.End is { } end ? Time(end) : null);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("window");
        }

        WriteString(json, "projectedAt", alert.ProjectedAt is { } at ? Time(at) : null);
        WriteString(json, "action", alert.Kind == AlertKind.Threshold && alert.Threshold >= 100m && alert.Budget is { } due ? BudgetText.Of(due.Action) : null);
        if (alert.RateLimit is { } hit)
        {
            json.WriteStartObject("rateLimit");
            json.WriteString("source", Of(hit.Source));
            WriteString(json, "window", hit.Window);
            json.WriteString("observedAt", Time(hit.ObservedAt));
            WriteString(json, "resetsAt", hit.ResetsAt is { } resets ? Time(resets) : null);
            WriteString(json, "detail", hit.Detail);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("rateLimit");
        }

        WriteString(json, "suppressed", alert.Suppressed);
    }

    private static void WriteString(Utf8JsonWriter json, string name, string? value)
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

    private static void WriteNumber(Utf8JsonWriter json, string name, decimal? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number / 1.000000000000000000000000000000000m); // without trailing zeros
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
