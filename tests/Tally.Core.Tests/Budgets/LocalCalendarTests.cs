using Tally.Core.Budgets;

namespace Tally.Core.Tests.Budgets;

public class LocalCalendarTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void The_spring_forward_day_in_Berlin_is_23_hours_from_local_midnight_to_local_midnight()
    {
        var day = LocalCalendar.Day(Utc("2026-03-29T12:00:00Z"), Berlin);
        Assert.Equal(Utc("2026-03-28T23:00:00Z"), day.Start); // 00:00 CET (+1)
        Assert.Equal(Utc("2026-03-29T22:00:00Z"), day.End); // 00:00 CEST (+2) on the 30th
        Assert.Equal(TimeSpan.FromHours(23), day.End!.Value - day.Start);
    }

    [Fact]
    public void The_fall_back_day_in_Berlin_is_25_hours()
    {
        var day = LocalCalendar.Day(Utc("2026-10-25T12:00:00Z"), Berlin);
        Assert.Equal(Utc("2026-10-24T22:00:00Z"), day.Start); // 00:00 CEST (+2)
        Assert.Equal(Utc("2026-10-25T23:00:00Z"), day.End); // 00:00 CET (+1) on the 26th
        Assert.Equal(TimeSpan.FromHours(25), day.End!.Value - day.Start);
    }

    [Theory]
    [InlineData("2026-03-28T22:59:59Z", "2026-03-28")] // 23:59:59 CET
    [InlineData("2026-03-28T23:00:00Z", "2026-03-29")] // midnight
    [InlineData("2026-03-29T00:59:59Z", "2026-03-29")] // 01:59:59 CET, just before the jump
    [InlineData("2026-03-29T01:00:00Z", "2026-03-29")] // 03:00 CEST
    [InlineData("2026-03-29T21:59:59Z", "2026-03-29")] // 23:59:59 CEST
    [InlineData("2026-03-29T22:00:00Z", "2026-03-30")]
    [InlineData("2026-10-25T00:30:00Z", "2026-10-25")] // 02:30 CEST, the first of the two
    [InlineData("2026-10-25T01:30:00Z", "2026-10-25")] // 02:30 CET, the second
    [InlineData("2026-10-25T22:59:59Z", "2026-10-25")] // 23:59:59 CET
    [InlineData("2026-10-25T23:00:00Z", "2026-10-26")]
    public void An_instant_falls_in_the_local_day_whose_window_holds_it(string instant, string expected)
    {
        var at = Utc(instant);
        var window = LocalCalendar.Day(at, Berlin);
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), LocalCalendar.DayOf(at, Berlin));
        Assert.True(window.Start <= at && at < window.End, $"{at:o} in [{window.Start:o}, {window.End:o})");
    }

    [Fact]
    public void A_month_runs_from_local_midnight_on_the_first_across_a_change_of_offset()
    {
        var march = LocalCalendar.Month(Utc("2026-03-15T12:00:00Z"), Berlin);
        Assert.Equal(Utc("2026-02-28T23:00:00Z"), march.Start);
        Assert.Equal(Utc("2026-03-31T22:00:00Z"), march.End);

        // The last instant of March in Berlin is still March; the next is April.
        Assert.Equal(march, LocalCalendar.Month(Utc("2026-03-31T21:59:59Z"), Berlin));
        Assert.Equal(Utc("2026-03-31T22:00:00Z"), LocalCalendar.Month(Utc("2026-03-31T22:00:00Z"), Berlin).Start);
    }

    [Fact]
    public void Where_midnight_is_skipped_the_day_starts_at_the_first_local_time_that_exists()
    {
        // Santiago, 2026-09-06: 23:59:59 -04 is followed by 01:00 -03.
        var santiago = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");
        Assert.Equal(Utc("2026-09-06T04:00:00Z"), LocalCalendar.StartOf(new DateOnly(2026, 9, 6), santiago));
        var day = LocalCalendar.Day(Utc("2026-09-06T12:00:00Z"), santiago);
        Assert.Equal(TimeSpan.FromHours(23), day.End!.Value - day.Start);
    }

    [Fact]
    public void Where_midnight_happens_twice_the_day_starts_at_the_first()
    {
        // Havana, 2026-11-01: 00:59:59 CDT is followed by 00:00 CST.
        var havana = TimeZoneInfo.FindSystemTimeZoneById("America/Havana");
        Assert.Equal(Utc("2026-11-01T04:00:00Z"), LocalCalendar.StartOf(new DateOnly(2026, 11, 1), havana));
        var day = LocalCalendar.Day(Utc("2026-11-01T12:00:00Z"), havana);
        Assert.Equal(TimeSpan.FromHours(25), day.End!.Value - day.Start);
    }
}
