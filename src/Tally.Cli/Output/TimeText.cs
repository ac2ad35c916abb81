using System.Globalization;

namespace Tally.Cli.Output;

/// <summary>How instants and durations look in tables and the status line.</summary>
internal static class TimeText
{
    /// <summary>An instant in <paramref name="zone"/>: <c>2026-11-20 14:00</c>.</summary>
    public static string Local(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>An instant in <paramref name="zone"/>, without the date when it is on <paramref name="now"/>'s day there:
    /// <c>14:00</c> or <c>Mon 23 Nov 09:00</c>.</summary>
    public static string Near(DateTimeOffset instant, DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var today = TimeZoneInfo.ConvertTime(now, zone);
        return local.Date == today.Date
            ? local.ToString("HH:mm", CultureInfo.InvariantCulture)
            : local.ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>A duration as hours and minutes (<c>2h 15m</c>, <c>45m</c>, <c>3d 4h</c>), rounded down to the minute.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        if (span.TotalDays >= 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays}d {span.Hours}h");
        }

        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes}m")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m");
    }

    /// <summary>An instant as JSON writes it: ISO-8601 UTC with milliseconds.</summary>
    public static string Iso(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A percentage to one decimal: <c>42.5%</c>.</summary>
    public static string Percent(decimal value) => Math.Round(value, 1, MidpointRounding.AwayFromZero).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
