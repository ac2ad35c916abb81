namespace Tally.Core.Budgets;

/// <summary>
/// Days and months of a time zone as UTC instants, correct across daylight-saving changes: a day is from one local
/// midnight to the next (23 or 25 hours on a change day), and where a change skips midnight the day starts at the
/// first local time that exists.
/// </summary>
public static class LocalCalendar
{
    /// <summary>The local calendar day <paramref name="instant"/> falls on in <paramref name="zone"/>.</summary>
    public static DateOnly DayOf(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
    }

    /// <summary>The instant <paramref name="day"/> starts in <paramref name="zone"/>.</summary>
    public static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsInvalidTime(midnight))
        {
            // Midnight is skipped: the offset in force before the gap maps it onto the first local time after it.
            offset = zone.GetUtcOffset(midnight.AddDays(-1));
        }
        else if (zone.IsAmbiguousTime(midnight))
        {
            // Midnight happens twice: the day starts at the first one (the larger offset is the earlier instant).
            offset = zone.GetAmbiguousTimeOffsets(midnight).Max();
        }
        else
        {
            offset = zone.GetUtcOffset(midnight);
        }

        return new DateTimeOffset(midnight, offset).ToUniversalTime();
    }

    /// <summary>The local day holding <paramref name="instant"/>.</summary>
    public static BudgetWindow Day(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var day = DayOf(instant, zone);
        return new BudgetWindow(StartOf(day, zone), StartOf(day.AddDays(1), zone));
    }

    /// <summary>The local calendar month holding <paramref name="instant"/>.</summary>
    public static BudgetWindow Month(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var day = DayOf(instant, zone);
        var first = new DateOnly(day.Year, day.Month, 1);
        return new BudgetWindow(StartOf(first, zone), StartOf(first.AddMonths(1), zone));
    }
}
