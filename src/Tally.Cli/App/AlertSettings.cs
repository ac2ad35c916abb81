using System.Text.Json;

namespace Tally.Cli.App;

/// <summary>
/// The <c>alerts</c> section of <c>config.json</c>: which channels alerts go to, and the webhook. The webhook's URL
/// may also come from <c>TALLY_ALERT_WEBHOOK_URL</c> (which wins), so a secret URL need not sit in the file.
/// </summary>
internal sealed record AlertSettings
{
    /// <summary>A line on standard error for each alert (default on).</summary>
    public bool Terminal { get; init; } = true;

    /// <summary>A desktop notification for each alert, where the system has a notifier (default on).</summary>
    public bool Desktop { get; init; } = true;

    /// <summary>Whether rate-limit hits raise alerts (default on).</summary>
    public bool RateLimits { get; init; } = true;

    /// <summary>The webhook's URL (never printed), or null for none.</summary>
    public Uri? WebhookUrl { get; init; }

    /// <summary>The most attempts per alert.</summary>
    public int WebhookMaxAttempts { get; init; } = 5;

    /// <summary>The most seconds per alert, all attempts and waits included.</summary>
    public double WebhookMaxSeconds { get; init; } = 10;

    /// <summary>Reads the section; every bad value goes to <paramref name="errors"/> and its default is kept.</summary>
    public static AlertSettings Read(JsonElement value, string where, ICollection<string> errors)
    {
        var settings = new AlertSettings();
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{where} must be an object (see docs/configuration.md); it is ignored.");
            return settings;
        }

        foreach (var property in value.EnumerateObject())
        {
            var at = $"{where}.\"{property.Name}\"";
            switch (property.Name)
            {
                case "terminal":
                    settings = settings with { Terminal = Flag(property.Value, at, errors) ?? settings.Terminal };
                    break;
                case "desktop":
                    settings = settings with { Desktop = Flag(property.Value, at, errors) ?? settings.Desktop };
                    break;
                case "rateLimits":
                    settings = settings with { RateLimits = Flag(property.Value, at, errors) ?? settings.RateLimits };
                    break;
                case "webhook":
                    settings = Webhook(settings, property.Value, at, errors);
                    break;
                default:
                    errors.Add($"{at} is not an alert setting Tally knows (see docs/configuration.md); it is ignored.");
                    break;
            }
        }

        return settings;
    }

    /// <summary>A webhook URL as typed: absolute http or https, else null with the reason (which never repeats the URL).</summary>
    public static Uri? ParseUrl(string text, string where, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return url;
        }

        errors.Add($"{where} is not an absolute http:// or https:// URL; no webhook is called.");
        return null;
    }

    private static AlertSettings Webhook(AlertSettings settings, JsonElement value, string where, ICollection<string> errors)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return settings with { WebhookUrl = ParseUrl(value.GetString()!, where, errors) };
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{where} must be a URL or an object with \"url\", \"maxAttempts\" and \"maxSeconds\"; it is ignored.");
            return settings;
        }

        foreach (var property in value.EnumerateObject())
        {
            var at = $"{where}.\"{property.Name}\"";
            switch (property.Name)
            {
                case "url" when property.Value.ValueKind == JsonValueKind.String:
                    settings = settings with { WebhookUrl = ParseUrl(property.Value.GetString()!, at, errors) };
                    break;
                case "maxAttempts" when property.Value.TryGetInt32(out var attempts) && attempts is >= 1 and <= 20:
                    settings = settings with { WebhookMaxAttempts = attempts };
                    break;
                case "maxSeconds" when property.Value.TryGetDouble(out var seconds) && seconds is > 0 and <= 300:
                    settings = settings with { WebhookMaxSeconds = seconds };
                    break;
                case "url":
                    errors.Add($"{at} must be a string; no webhook is called.");
                    break;
                case "maxAttempts":
                    errors.Add($"{at} must be a whole number from 1 to 20; the default ({settings.WebhookMaxAttempts}) is used.");
                    break;
                case "maxSeconds":
                    errors.Add($"{at} must be a number of seconds above 0 and at most 300; the default ({settings.WebhookMaxSeconds}) is used.");
                    break;
                default:
                    errors.Add($"{at} is not a webhook setting Tally knows (see docs/configuration.md); it is ignored.");
                    break;
            }
        }

        return settings;
    }

    private static bool? Flag(JsonElement value, string where, ICollection<string> errors)
    {
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        errors.Add($"{where} must be true or false; the default is used.");
        return null;
    }
}
