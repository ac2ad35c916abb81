using Tally.Core.Limits;
using Tally.Core.Storage;

namespace Tally.Storage.Tests;

public class WindowsTests
{
    private static readonly DateTimeOffset FixtureNow = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<IndexHarness> IndexOfAsync(params string[] times)
    {
        var index = new IndexHarness();
        var file = index.ProjectFile("-home-a-app/s1.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllLinesAsync(file, times.Select((t, i) => Lines.Assistant($"msg_{i}", 10, 100, at: t)));
        await index.SyncAsync();
        return index;
    }

    [Fact]
    public async Task A_call_exactly_at_a_block_end_stays_in_it_though_its_bucket_holds_later_calls()
    {
        await using var index = await IndexOfAsync("2026-11-20T09:10:00.000Z", "2026-11-20T14:00:00.000Z", "2026-11-20T14:05:00.000Z");
        var blocks = await new UsageWindows(index.Store, new TestClock(FixtureNow.AddDays(1))).BlocksAsync(new BlockRequest(), CancellationToken.None);
        Assert.Equal([(At("2026-11-20T09:00Z"), 2L), (At("2026-11-20T14:00Z"), 1L)], blocks.Select(static b => (b.Start, b.Totals.Calls)));
    }

    [Fact]
    public async Task A_session_length_off_the_quarter_hours_reads_each_calls_time()
    {
        // 2.2 hours: the first block ends at 11:12, inside the 11:00 bucket that holds 11:05 and 11:14.
        await using var index = await IndexOfAsync("2026-11-20T09:10:00.000Z", "2026-11-20T11:05:00.000Z", "2026-11-20T11:14:00.000Z");
        var blocks = await new UsageWindows(index.Store, new TestClock(FixtureNow.AddDays(1))).BlocksAsync(new BlockRequest { Length = TimeSpan.FromHours(2.2) }, CancellationToken.None);
        Assert.Equal(
            [(At("2026-11-20T09:00Z"), At("2026-11-20T11:12Z"), 2L), (At("2026-11-20T11:00Z"), At("2026-11-20T13:12Z"), 1L)],
            blocks.Select(static b => (b.Start, b.End, b.Totals.Calls)));
    }

    [Fact]
    public async Task The_sample_has_a_gap_between_two_blocks_and_a_window_placed_by_its_limit_line()
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        await index.SyncAsync();
        var windows = new UsageWindows(index.Store, new TestClock(FixtureNow));
        var blocks = await windows.BlocksAsync(new BlockRequest(), CancellationToken.None);
        Assert.Equal(
            ["2026-11-18T09:00:00.000Z", "gap-2026-11-18T14:17:50.000Z", "2026-11-18T15:00:00.000Z", "gap-2026-11-18T21:17:46.000Z", "2026-11-20T07:00:00.000Z"],
            blocks.Select(static b => b.Id));

        // The limit line (10:51, resets 12:00) says the window ran 07:00-12:00: at noon it has just reset.
        var acme = blocks[^1];
        Assert.Equal(SignalKind.LimitLine, acme.AnchoredBy);
        Assert.Equal(FixtureNow, acme.End);
        Assert.Equal(FixtureNow, acme.LimitResetAt);
        Assert.False(acme.IsActive);
        Assert.Equal(5, acme.Totals.Calls);

        // Without signals it is ccusage's block: 09:00-14:00, active at noon.
        var plain = await windows.BlocksAsync(new BlockRequest { UseSignals = false }, CancellationToken.None);
        Assert.Equal(("2026-11-20T09:00:00.000Z", true), (plain[^1].Id, plain[^1].IsActive));
        Assert.Null(await windows.ActiveBlockAsync(new BlockRequest(), CancellationToken.None));
        Assert.Equal(plain[^1].Id, (await windows.ActiveBlockAsync(new BlockRequest { UseSignals = false }, CancellationToken.None))!.Id);
    }

    [Fact]
    public async Task A_status_line_reset_places_the_current_window_and_the_weeks()
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        await index.SyncAsync();
        await index.Store.RecordSignalsAsync(
        [
            new ObservedSignal { Key = "s5", Kind = SignalKind.StatusLine, Window = WindowKind.FiveHour, Utilisation = 30, ResetsAt = At("2026-11-20T13:00Z"), ObservedAt = At("2026-11-20T10:55Z") },
            new ObservedSignal { Key = "s7", Kind = SignalKind.StatusLine, Window = WindowKind.Weekly, Utilisation = 12, ResetsAt = At("2026-11-23T09:00Z"), ObservedAt = At("2026-11-20T10:55Z") },
        ], CancellationToken.None);
        var windows = new UsageWindows(index.Store, new TestClock(FixtureNow));

        // The status line outranks the limit line: the window is 08:00-13:00, and still active at noon.
        var active = (await windows.ActiveBlockAsync(new BlockRequest(), CancellationToken.None))!;
        Assert.Equal((At("2026-11-20T08:00Z"), At("2026-11-20T13:00Z"), SignalKind.StatusLine), (active.Start, active.End, active.AnchoredBy!.Value));

        var anchor = WindowAnchor.Weekly(await windows.SignalsAsync(null, CancellationToken.None))!;
        var weeks = await windows.WeeksAsync(anchor, Provenance.StatusLine, At("2026-11-10T00:00Z"), null, CostMode.Auto, CancellationToken.None);
        Assert.Equal([At("2026-11-09T09:00Z"), At("2026-11-16T09:00Z")], weeks.Select(static w => w.Start));
        Assert.Equal([false, true], weeks.Select(static w => w.IsActive));
        var all = await index.Store.AggregateAsync(new UsageQuery(), CancellationToken.None);
        Assert.Equal(all.Sum(static r => r.CostUsd), weeks[1].Totals.CostUsd);
        Assert.Equal(0m, weeks[0].Totals.CostUsd);

        var opus = await windows.WeeksAsync(anchor, Provenance.StatusLine, At("2026-11-17T00:00Z"), "opus", CostMode.Auto, CancellationToken.None);
        Assert.All(Assert.Single(opus).Models, static m => Assert.Contains("opus", m.Model, StringComparison.Ordinal));
        Assert.Equal(2, opus[0].Totals.Calls);
    }

    [Fact]
    public async Task A_week_is_seven_days_of_hours_across_a_clock_change()
    {
        // Europe/Paris leaves summer time at 03:00 on Sunday 2026-10-25. A "sun 04:00" reset is anchored on its latest
        // local occurrence: 04:00 CET (+01:00) after the change, 04:00 CEST (+02:00) the week before; a week is 168 hours.
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        Assert.True(PlanFile.TryWeeklyReset("sun 04:00", At("2026-10-27T12:00Z"), paris, out var anchor));
        Assert.Equal(At("2026-10-25T03:00Z"), anchor!.Start);
        Assert.Equal(TimeSpan.FromHours(168), anchor.End - anchor.Start);
        Assert.True(PlanFile.TryWeeklyReset("Sunday 4am Europe/Paris", At("2026-10-24T12:00Z"), TimeZoneInfo.Utc, out var before));
        Assert.Equal(At("2026-10-18T02:00Z"), before!.Start);
        Assert.Equal(anchor.Start, anchor.WeekHolding(At("2026-10-30T00:00Z")).Start);
        Assert.Equal(anchor.Start - TimeSpan.FromDays(7), anchor.WeekHolding(At("2026-10-25T02:59Z")).Start);
        Assert.False(PlanFile.TryWeeklyReset("someday 25:00", At("2026-10-24T12:00Z"), paris, out _));
    }

    [Fact]
    public void Today_starts_at_local_midnight_on_a_clock_change_day()
    {
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        Assert.Equal(At("2026-03-28T23:00Z"), PlanUsage.StartOfDay(At("2026-03-29T20:00Z"), paris)); // a 23-hour day
        Assert.Equal(At("2026-10-24T22:00Z"), PlanUsage.StartOfDay(At("2026-10-25T20:00Z"), paris)); // a 25-hour day
        var havana = TimeZoneInfo.FindSystemTimeZoneById("America/Havana"); // skips midnight itself in March
        Assert.Equal(At("2026-03-08T05:00Z"), PlanUsage.StartOfDay(At("2026-03-08T18:00Z"), havana));
    }
}
