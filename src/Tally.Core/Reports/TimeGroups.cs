namespace Tally.Core.Reports;

/// <summary>
/// How wide the time groups of a report that folds time into local days can be without a group straddling two of those
/// days: a whole local day when the zone's offset is the same over the whole range (UTC, or a range without a clock
/// change), an hour when every offset it takes is a whole number of hours, else a quarter hour (the index's own grain).
/// The fewer the groups, the fewer the rows the index hands over: a 30-day report reads about 25 times fewer.
/// </summary>
public static class TimeGroups
{
    private const int QuartersPerHour = 4;
    private const int QuartersPerDay = 96;
    private const int MaxDaysChecked = 2 * 366;

    /// <summary>The group width and shift, in quarter hours, for days in <paramref name="zone"/> between the bounds.</summary>
    public static (int Quarters, int ShiftQuarters) For(TimeZoneInfo zone, DateTimeOffset? from, DateTimeOffset? until)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var offsets = Offsets(zone, from, until);
        if (offsets is [var only] && only.Ticks % (TimeSpan.TicksPerMinute * 15) == 0)
        {
            return (QuartersPerDay, (int)(only.Ticks / (TimeSpan.TicksPerMinute * 15)));
        }

        var whole = offsets is null ? WholeHoursAlways(zone) : offsets.All(static o => o.Ticks % TimeSpan.TicksPerHour == 0);
        return whole ? (QuartersPerHour, 0) : (1, 0);
    }

    /// <summary>The distinct offsets the zone takes between the bounds (checked at each day's start: a zone changes its
    /// clock at most a few times a year); null when the range is open or too long to check.</summary>
    private static List<TimeSpan>? Offsets(TimeZoneInfo zone, DateTimeOffset? from, DateTimeOffset? until)
    {
        if (!zone.SupportsDaylightSavingTime && zone.GetAdjustmentRules().Length == 0)
        {
            return [zone.BaseUtcOffset];
        }

        if (from is not { } start || until is not { } end || end < start || (end - start).TotalDays > MaxDaysChecked)
        {
            return null;
        }

        var offsets = new List<TimeSpan>();
        for (var at = start; ; at = at.AddDays(1))
        {
            var instant = at < end ? at : end;
            var offset = zone.GetUtcOffset(instant);
            if (!offsets.Contains(offset))
            {
                offsets.Add(offset);
            }

            if (instant == end)
            {
                return offsets;
            }
        }
    }

    /// <summary>True when every offset the zone's rules give since 1970 (no usage is older) is a whole number of hours
    /// (a zone's early history often has a local mean time such as +00:53:28).</summary>
    private static bool WholeHoursAlways(TimeZoneInfo zone) =>
        zone.BaseUtcOffset.Ticks % TimeSpan.TicksPerHour == 0
        && zone.GetAdjustmentRules().Where(static r => r.DateEnd.Year >= 1970)
            .All(static r => r.DaylightDelta.Ticks % TimeSpan.TicksPerHour == 0 && r.BaseUtcOffsetDelta.Ticks % TimeSpan.TicksPerHour == 0);
}
