using System.Globalization;

namespace Tally.Cli.Output;

/// <summary>Spans of time as people read them in a table: <c>45s</c>, <c>12m</c>, <c>1h 05m</c>, <c>2d 3h</c>.</summary>
internal static class Durations
{
    /// <summary>The span, rounded down to its two largest units (negative spans read as 0s).</summary>
    public static string Short(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span switch
        {
            { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Seconds}s"),
            { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m"),
            { TotalDays: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Hours}h {span.Minutes:00}m"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays}d {span.Hours}h"),
        };
    }
}
