using System.Globalization;

namespace Tally.Ingest.Demo;

/// <summary>Formats the transcripts' timestamps: ISO-8601 UTC, usually with milliseconds.</summary>
internal static class DemoTime
{
    /// <summary>Picks a format for the next timestamp: mostly <c>.fffZ</c>, a few <c>+00:00</c> or without a fraction,
    /// and, when allowed, a few with 1, 2, 6 or 7 fraction digits.</summary>
    public static string Format(DateTime utc, DemoRandom rng, bool allowOddFractions)
    {
        double r = rng.NextDouble();
        if (r < 0.97)
        {
            return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }

        if (r < 0.98)
        {
            return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+00:00'", CultureInfo.InvariantCulture);
        }

        if (r < 0.99 || !allowOddFractions)
        {
            return utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        string fraction = rng.Pick(["f", "ff", "ffffff", "fffffff"]);
        return utc.ToString($"yyyy-MM-dd'T'HH:mm:ss.{fraction}'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>Milliseconds, always (for lines that must look like the newest Claude Code).</summary>
    public static string Millis(DateTime utc) =>
        utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A duration in whole milliseconds plus a random sub-millisecond part, so fractions look real.</summary>
    public static TimeSpan Jitter(DemoRandom rng, double minSeconds, double maxSeconds) =>
        TimeSpan.FromTicks((long)((minSeconds + (rng.NextDouble() * (maxSeconds - minSeconds))) * TimeSpan.TicksPerSecond));

    public static long UnixSeconds(DateTime utc) => new DateTimeOffset(utc, TimeSpan.Zero).ToUnixTimeSeconds();
}
