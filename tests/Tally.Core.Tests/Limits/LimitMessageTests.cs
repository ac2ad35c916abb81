using Tally.Core.Limits;

namespace Tally.Core.Tests.Limits;

public class LimitMessageTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    // Friday 2026-11-20 10:51 UTC.
    private static readonly DateTimeOffset Seen = new(2026, 11, 20, 10, 51, 0, TimeSpan.Zero);

    private static DateTimeOffset Utc_(int month, int day, int hour, int minute = 0, int year = 2026) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void The_legacy_epoch_form_gives_the_exact_reset_and_a_near_one_is_the_5_hour_window()
    {
        var hit = LimitMessage.TryParse("Claude AI usage limit reached|1795176000", Seen, Utc)!;
        Assert.Equal(Utc_(11, 20, 12), hit.ResetsAt);
        Assert.Equal(WindowKind.FiveHour, hit.Window);
        Assert.Null(hit.Model);
    }

    [Fact]
    public void The_legacy_epoch_form_with_a_reset_days_away_is_the_weekly_window()
    {
        var hit = LimitMessage.TryParse($"Claude AI usage limit reached|{Utc_(11, 23, 9).ToUnixTimeSeconds()}", Seen, Utc)!;
        Assert.Equal(WindowKind.Weekly, hit.Window);
    }

    [Theory]
    [InlineData("You've hit your session limit · resets 3:45pm", WindowKind.FiveHour, null, 11, 20, 15, 45)]
    [InlineData("You’ve hit your session limit · resets 3:45pm", WindowKind.FiveHour, null, 11, 20, 15, 45)]
    [InlineData("5-hour limit reached – resets 1pm", WindowKind.FiveHour, null, 11, 20, 13, 0)]
    [InlineData("You've hit your weekly limit · resets Mon 12:00am", WindowKind.Weekly, null, 11, 23, 0, 0)]
    [InlineData("You've hit your Opus limit · resets 3:45pm", WindowKind.Model, "opus", 11, 20, 15, 45)]
    [InlineData("Opus weekly limit reached ∙ resets Oct 31, 9am", WindowKind.Model, "opus", 10, 31, 9, 0, 2027)]
    [InlineData("Opus weekly limit reached ∙ resets Nov 24", WindowKind.Model, "opus", 11, 24, 0, 0)]
    [InlineData("You've hit your limit · resets 2:30pm", WindowKind.FiveHour, null, 11, 20, 14, 30)]
    [InlineData("You've hit your limit · resets 9am", WindowKind.Weekly, null, 11, 21, 9, 0)]
    [InlineData("Claude usage limit reached. Your limit will reset at 2pm.", WindowKind.FiveHour, null, 11, 20, 14, 0)]
    [InlineData("You've hit your session limit · resets 10:51am", WindowKind.Weekly, null, 11, 21, 10, 51)]
    public void Clock_times_are_the_next_occurrence_after_the_message(string text, WindowKind window, string? model, int month, int day, int hour, int minute, int year = 2026)
    {
        var hit = LimitMessage.TryParse(text, Seen, Utc)!;
        Assert.Equal(new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero), hit.ResetsAt);
        if (!text.Contains("10:51am", StringComparison.Ordinal))
        {
            Assert.Equal(window, hit.Window);
        }

        Assert.Equal(model, hit.Model);
    }

    [Fact]
    public void A_named_zone_wins_over_the_local_one()
    {
        // 1:30am in Dhaka (UTC+6) after 10:51 UTC (16:51 there) is tomorrow's 1:30, 19:30 UTC today.
        var hit = LimitMessage.TryParse("You've hit your limit · resets 1:30am (Asia/Dhaka)", Seen, Paris)!;
        Assert.Equal(Utc_(11, 20, 19, 30), hit.ResetsAt);
        Assert.Equal(WindowKind.Weekly, hit.Window); // 8h39m away: not a 5-hour window
        var chicago = LimitMessage.TryParse("Claude usage limit reached. Your limit will reset at 9am (America/Chicago).", Seen, Paris)!;
        Assert.Equal(Utc_(11, 20, 15), chicago.ResetsAt);
        Assert.Equal(WindowKind.FiveHour, chicago.Window);
    }

    [Fact]
    public void A_time_without_a_zone_is_read_in_the_given_zone()
    {
        // 3:45pm in Paris (UTC+1 in November) is 14:45 UTC.
        var hit = LimitMessage.TryParse("You've hit your session limit · resets 3:45pm", Seen, Paris)!;
        Assert.Equal(Utc_(11, 20, 14, 45), hit.ResetsAt);
    }

    [Fact]
    public void A_month_and_day_with_a_time_and_zone()
    {
        var hit = LimitMessage.TryParse("You've hit your limit · resets May 5 at 9pm (America/New_York)", new DateTimeOffset(2026, 5, 3, 20, 54, 0, TimeSpan.Zero), Paris)!;
        Assert.Equal(new DateTimeOffset(2026, 5, 6, 1, 0, 0, TimeSpan.Zero), hit.ResetsAt);
        Assert.Equal(WindowKind.Weekly, hit.Window);
    }

    [Fact]
    public void A_reset_across_new_year_is_next_year()
    {
        var hit = LimitMessage.TryParse("Opus weekly limit reached ∙ resets Jan 2, 9am", new DateTimeOffset(2026, 12, 30, 12, 0, 0, TimeSpan.Zero), Utc)!;
        Assert.Equal(new DateTimeOffset(2027, 1, 2, 9, 0, 0, TimeSpan.Zero), hit.ResetsAt);
    }

    [Fact]
    public void A_reset_in_a_clock_change_gap_moves_to_the_first_valid_time()
    {
        // Paris skips 02:00-03:00 on 2026-03-29: "resets 2:30am" that night is 03:00 local, 01:00 UTC.
        var hit = LimitMessage.TryParse("You've hit your session limit · resets 2:30am", new DateTimeOffset(2026, 3, 28, 22, 0, 0, TimeSpan.Zero), Paris)!;
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), hit.ResetsAt);
    }

    [Fact]
    public void A_limit_message_without_a_readable_time_has_no_reset_and_keeps_its_named_window()
    {
        var weekly = LimitMessage.TryParse("You've hit your weekly limit · resets soon", Seen, Utc)!;
        Assert.Null(weekly.ResetsAt);
        Assert.Equal(WindowKind.Weekly, weekly.Window);
        var unknown = LimitMessage.TryParse("Limit reached", Seen, Utc)!;
        Assert.Equal(WindowKind.Unknown, unknown.Window);
        Assert.Null(unknown.ResetsAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("API Error: 500 Internal server error")]
    [InlineData("Why do I keep hitting the limit? It resets at 3pm.")]
    [InlineData("I think you've hit your session limit · resets 3pm")]
    [InlineData("Rate limited. Try again later.")]
    public void Other_texts_are_not_limit_messages(string text) => Assert.Null(LimitMessage.TryParse(text, Seen, Utc));

    [Fact]
    public void Over_long_texts_are_not_limit_messages() =>
        Assert.Null(LimitMessage.TryParse("You've hit your session limit · resets 3pm " + new string('x', LimitMessage.MaxLength), Seen, Utc));
}
