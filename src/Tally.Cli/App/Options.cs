using System.Globalization;
using Tally.Core.Agents;
using Tally.Core.Storage;

namespace Tally.Cli.App;

/// <summary>Parsers for the values users type, shared by flags and the configuration file.</summary>
internal static class Options
{
    private static readonly string[] DateFormats = ["yyyyMMdd", "yyyy-MM-dd"];

    /// <summary>A day as <c>YYYYMMDD</c> or <c>YYYY-MM-DD</c> (ccusage's forms); null when it is neither.</summary>
    public static DateOnly? ParseDay(string text) =>
        DateOnly.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    /// <summary>A day of the week by its English name or its first three letters.</summary>
    public static DayOfWeek? ParseDayOfWeek(string text)
    {
        var trimmed = text.Trim();
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            var name = day.ToString();
            if (trimmed.Equals(name, StringComparison.OrdinalIgnoreCase) || (trimmed.Length == 3 && name.StartsWith(trimmed, StringComparison.OrdinalIgnoreCase)))
            {
                return day;
            }
        }

        return null;
    }

    /// <summary><c>auto</c>, <c>calculate</c> or <c>display</c>.</summary>
    public static CostMode? ParseCostMode(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => CostMode.Auto,
        "calculate" => CostMode.Calculate,
        "display" => CostMode.Display,
        _ => null,
    };

    /// <summary><c>subscription</c>, <c>api-key</c>, <c>both</c> or <c>multi-account</c>.</summary>
    public static AuthMode? ParseAuthMode(string text) => text.Trim().ToLowerInvariant() switch
    {
        "subscription" => AuthMode.Subscription,
        "api-key" or "apikey" or "api" => AuthMode.ApiKey,
        "both" => AuthMode.Both,
        "multi-account" => AuthMode.MultiAccount,
        _ => null,
    };

    /// <summary><c>subscription</c> or <c>api</c> (also <c>api-key</c>).</summary>
    public static BillingSource? ParseBillingSource(string text) => text.Trim().ToLowerInvariant() switch
    {
        "subscription" => BillingSource.Subscription,
        "api" or "api-key" => BillingSource.Api,
        _ => null,
    };

    /// <summary>An IANA (or Windows) time zone id, <c>UTC</c> included; null when the system does not know it.</summary>
    public static TimeZoneInfo? FindZone(string id)
    {
        if (string.Equals(id.Trim(), "UTC", StringComparison.OrdinalIgnoreCase) || string.Equals(id.Trim(), "Z", StringComparison.Ordinal))
        {
            return TimeZoneInfo.Utc;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone) ? zone : null;
    }

    /// <summary>A comma-separated list flag, or several uses of it, as one list without blanks.</summary>
    public static IReadOnlyList<string>? List(string[]? values) =>
        values is null || values.Length == 0
            ? null
            : [.. values.SelectMany(static v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
