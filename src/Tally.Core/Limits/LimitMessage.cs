using System.Globalization;
using System.Text.RegularExpressions;

namespace Tally.Core.Limits;

/// <summary>
/// Reads the "limit reached" messages Claude Code writes into transcripts, in every form seen so far:
/// <c>Claude AI usage limit reached|1795176000</c> (epoch seconds of the reset),
/// <c>Claude usage limit reached. Your limit will reset at 9am (America/Chicago).</c>,
/// <c>You've hit your session limit · resets 3:45pm</c>, <c>You've hit your weekly limit · resets Mon 12:00am</c>,
/// <c>You've hit your Opus limit · resets 3:45pm</c>, <c>Opus weekly limit reached ∙ resets Oct 31, 9am</c>,
/// <c>Limit reached · resets 11:30am (Asia/Calcutta) · /upgrade …</c>. A clock time without a zone is read in the
/// zone given (Claude Code writes it in the machine's local time) and taken as its next occurrence after the message.
/// </summary>
public static partial class LimitMessage
{
    private static readonly TimeSpan FiveHourWindow = TimeSpan.FromHours(5);

    /// <summary>A reset further away than this (5 hours and a margin) cannot be a 5-hour window's.</summary>
    private static readonly TimeSpan FiveHourMargin = TimeSpan.FromMinutes(10);

    /// <summary>Longer texts are not a limit notice (a notice is one short sentence).</summary>
    public const int MaxLength = 400;

    /// <summary>Reads <paramref name="text"/> as a limit message seen at <paramref name="observedAt"/>; null when it is not one.</summary>
    /// <param name="text">The message text.</param>
    /// <param name="observedAt">When the message was written (the transcript line's time).</param>
    /// <param name="zone">The zone a clock time without one is in.</param>
    public static LimitHit? TryParse(string? text, DateTimeOffset observedAt, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength)
        {
            return null;
        }

        var normalised = text.Replace('\u2019', '\'').Trim();
        if (!Opening().IsMatch(normalised))
        {
            return null;
        }

        DateTimeOffset? resetsAt = null;
        var epoch = Epoch().Match(normalised);
        if (epoch.Success && long.TryParse(epoch.Groups["s"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds is > 0 and < 253_402_300_799)
        {
            resetsAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        else if (ResetPart().Match(normalised) is { Success: true } reset)
        {
            resetsAt = ResolveReset(reset.Groups["when"].Value, observedAt, zone);
        }

        var (window, model) = WindowOf(normalised);
        if (window == WindowKind.Unknown && resetsAt is { } at)
        {
            window = at - observedAt <= FiveHourWindow + FiveHourMargin ? WindowKind.FiveHour : WindowKind.Weekly;
        }

        return new LimitHit(window, model, resetsAt);
    }

    private static (WindowKind Window, string? Model) WindowOf(string text)
    {
        var lower = text.ToLowerInvariant();
        var model = lower.Contains("opus", StringComparison.Ordinal) ? "opus"
            : lower.Contains("sonnet", StringComparison.Ordinal) ? "sonnet"
            : null;
        if (model is not null)
        {
            return (WindowKind.Model, model);
        }

        if (lower.Contains("weekly", StringComparison.Ordinal))
        {
            return (WindowKind.Weekly, null);
        }

        return lower.Contains("session", StringComparison.Ordinal) || lower.Contains("5-hour", StringComparison.Ordinal)
            || lower.Contains("five-hour", StringComparison.Ordinal) || lower.Contains("5 hour", StringComparison.Ordinal)
            ? (WindowKind.FiveHour, null)
            : (WindowKind.Unknown, null);
    }

    /// <summary>The first instant after <paramref name="observedAt"/> that the words describe; null when they name no time or day.</summary>
    private static DateTimeOffset? ResolveReset(string when, DateTimeOffset observedAt, TimeZoneInfo fallback)
    {
        var zone = fallback;
        if (ZoneName().Match(when) is { Success: true } named)
        {
            var id = named.Groups["zone"].Value;
            if (string.Equals(id, "UTC", StringComparison.OrdinalIgnoreCase))
            {
                zone = TimeZoneInfo.Utc;
            }
            else if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found))
            {
                zone = found;
            }

            when = when.Remove(named.Index, named.Length);
        }

        TimeOnly? time = null;
        if (Clock12().Match(when) is { Success: true } c12)
        {
            var hour = int.Parse(c12.Groups["h"].ValueSpan, CultureInfo.InvariantCulture);
            var minute = c12.Groups["m"].Success ? int.Parse(c12.Groups["m"].ValueSpan, CultureInfo.InvariantCulture) : 0;
            if (hour is < 1 or > 12 || minute > 59)
            {
                return null;
            }

            var pm = char.ToLowerInvariant(c12.Groups["ap"].Value[0]) == 'p';
            time = new TimeOnly((hour % 12) + (pm ? 12 : 0), minute);
        }
        else if (Clock24().Match(when) is { Success: true } c24)
        {
            var hour = int.Parse(c24.Groups["h"].ValueSpan, CultureInfo.InvariantCulture);
            var minute = int.Parse(c24.Groups["m"].ValueSpan, CultureInfo.InvariantCulture);
            if (hour > 23 || minute > 59)
            {
                return null;
            }

            time = new TimeOnly(hour, minute);
        }

        var local = TimeZoneInfo.ConvertTime(observedAt, zone);
        var today = DateOnly.FromDateTime(local.DateTime);
        if (MonthDay().Match(when) is { Success: true } md)
        {
            var month = MonthNumber(md.Groups["mon"].Value);
            var day = int.Parse(md.Groups["day"].ValueSpan, CultureInfo.InvariantCulture);
            if (day is < 1 or > 31)
            {
                return null;
            }

            var date = SafeDate(today.Year, month, day);
            if (date < today.AddDays(-1))
            {
                date = SafeDate(today.Year + 1, month, day);
            }

            return ToInstant(date, time ?? TimeOnly.MinValue, zone);
        }

        if (Weekday().Match(when) is { Success: true } wd)
        {
            var target = DayNumber(wd.Groups["d"].Value);
            var date = today.AddDays(((int)target - (int)today.DayOfWeek + 7) % 7);
            var instant = ToInstant(date, time ?? TimeOnly.MinValue, zone);
            return instant > observedAt ? instant : ToInstant(date.AddDays(7), time ?? TimeOnly.MinValue, zone);
        }

        if (when.Contains("tomorrow", StringComparison.OrdinalIgnoreCase))
        {
            return ToInstant(today.AddDays(1), time ?? TimeOnly.MinValue, zone);
        }

        if (time is { } t)
        {
            var instant = ToInstant(today, t, zone);
            return instant > observedAt ? instant : ToInstant(today.AddDays(1), t, zone);
        }

        return null;
    }

    private static DateOnly SafeDate(int year, int month, int day) => new(year, month, Math.Min(day, DateTime.DaysInMonth(year, month)));

    /// <summary>A local date and time as an instant: a time skipped by a clock change moves forward to the first valid
    /// one; a repeated time is its first occurrence.</summary>
    internal static DateTimeOffset ToInstant(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    private static int MonthNumber(string name) => name[..3].ToLowerInvariant() switch
    {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        _ => 12,
    };

    private static DayOfWeek DayNumber(string name) => name[..3].ToLowerInvariant() switch
    {
        "mon" => DayOfWeek.Monday,
        "tue" => DayOfWeek.Tuesday,
        "wed" => DayOfWeek.Wednesday,
        "thu" => DayOfWeek.Thursday,
        "fri" => DayOfWeek.Friday,
        "sat" => DayOfWeek.Saturday,
        _ => DayOfWeek.Sunday,
    };

    [GeneratedRegex(@"^(?:claude(?:\s+ai)?\s+usage\s+limit\s+reached|you'?ve\s+hit\s+your\b|(?:[\w-]+\s+){0,3}limit\s+reached)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Opening();

    [GeneratedRegex(@"usage\s+limit\s+reached\s*\|\s*(?<s>\d{9,12})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Epoch();

    [GeneratedRegex(@"\breset(?:s)?(?:\s+at)?\s+(?<when>.+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ResetPart();

    [GeneratedRegex(@"\((?<zone>UTC|[A-Za-z_]+(?:/[A-Za-z0-9_+\-]+)+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex ZoneName();

    [GeneratedRegex(@"\b(?<h>\d{1,2})(?::(?<m>\d{2}))?\s*(?<ap>[ap])\.?\s?m\b\.?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Clock12();

    [GeneratedRegex(@"\b(?<h>\d{1,2}):(?<m>\d{2})\b", RegexOptions.CultureInvariant)]
    private static partial Regex Clock24();

    [GeneratedRegex(@"\b(?<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(?<day>\d{1,2})\b(?!\s*:)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MonthDay();

    [GeneratedRegex(@"\b(?<d>mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Weekday();
}
