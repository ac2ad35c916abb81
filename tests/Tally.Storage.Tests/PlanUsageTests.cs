using Tally.Core.Limits;
using Tally.Core.Storage;

namespace Tally.Storage.Tests;

public class PlanUsageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static Plan Max5 => PlanFile.Defaults.Find("max5")!;

    private static async Task<IndexHarness> TodayAsync()
    {
        var index = new IndexHarness();
        var file = index.ProjectFile("-home-a-app/s1.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllLinesAsync(file,
        [
            Lines.Assistant("msg_y", 10, 100, at: "2026-11-19T22:30:00.000Z"),
            Lines.Assistant("msg_1", 10, 100, at: "2026-11-20T10:00:00.000Z"),
            Lines.Assistant("msg_2", 10, 100, at: "2026-11-20T10:30:00.000Z"),
            Lines.Assistant("msg_3", 10, 100, at: "2026-11-20T11:00:00.000Z"),
            Lines.Assistant("msg_4", 10, 100, at: "2026-11-20T11:30:00.000Z", model: "claude-opus-4-6"),
            Lines.Assistant("msg_5", 10, 100, at: "2026-11-20T11:45:00.000Z", model: "claude-opus-4-6"),
        ]);
        await index.SyncAsync();
        return index;
    }

    private static async Task<decimal> CostAsync(IndexHarness index, string from, string until) =>
        (await index.Store.AggregateAsync(new UsageQuery { From = At(from), Until = At(until) }, CancellationToken.None)).Sum(static r => r.CostUsd);

    private static Task<LimitsReport> ReportAsync(IndexHarness index, Plan plan, TimeZoneInfo? zone = null, DateTimeOffset? now = null, WindowAnchor? weeklyReset = null) =>
        new PlanUsage(new UsageWindows(index.Store, new TestClock(now ?? Now)))
            .ReportAsync(new LimitsRequest { Plan = plan, Zone = zone ?? TimeZoneInfo.Utc, ConfiguredWeeklyReset = weeklyReset }, CancellationToken.None);

    [Fact]
    public async Task With_no_signal_every_figure_is_labelled_as_an_estimate_or_a_count()
    {
        await using var index = await TodayAsync();
        var report = await ReportAsync(index, Max5);
        Assert.False(report.Blocked);
        var five = report.Windows[0];
        Assert.Equal(WindowKind.FiveHour, five.Kind);
        Assert.Equal((At("2026-11-20T10:00Z"), At("2026-11-20T15:00Z"), Provenance.Estimate), (five.Start!.Value, five.ResetsAt!.Value, five.ResetSource));
        Assert.Equal(TimeSpan.FromHours(3), five.TimeToReset);
        Assert.Equal((35m, Provenance.Plan), (five.LimitUsd, five.LimitSource));
        var used = await CostAsync(index, "2026-11-20T10:00Z", "2026-11-20T15:00Z");
        Assert.Equal(used, five.Used.CostUsd);
        Assert.Equal((5L, 2L), (five.Used.Calls, five.OpusMessages));
        Assert.Equal((used / 35m * 100m, Provenance.Estimate), (five.Utilisation!.Value, five.UtilisationSource));
        Assert.Equal(100m - five.Utilisation, five.Headroom);

        // The active block burns $used over 1h45: the limit is reached after ($35 - $used) / rate hours.
        var rate = used / 1.75m;
        Assert.Equal(rate, report.BurnRate!.CostPerHour);
        Assert.Equal(Now + TimeSpan.FromHours((double)((35m - used) / rate)), five.ProjectedLimitAt);

        var weekly = report.Windows[1];
        Assert.Equal(WindowKind.Weekly, weekly.Kind);
        Assert.Null(weekly.ResetsAt);
        Assert.Null(weekly.LimitUsd);
        Assert.Null(weekly.Utilisation);
        Assert.Null(weekly.Headroom);
        Assert.Contains(weekly.Notes, static n => n.Contains("weekly reset time is not known", StringComparison.Ordinal));
        Assert.Equal(6, weekly.Used.Calls);

        var opus = Assert.Single(report.Windows, static w => w.Kind == WindowKind.Model);
        Assert.Equal(("opus", 2L), (opus.Model, opus.Used.Calls));
        Assert.Equal((5L, 2L), (report.Today.Calls, report.OpusMessagesToday));
    }

    [Fact]
    public async Task Messages_today_follow_the_time_zone()
    {
        await using var index = await TodayAsync();
        var tokyo = await ReportAsync(index, Max5, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        Assert.Equal(At("2026-11-19T15:00Z"), tokyo.TodayStart);
        Assert.Equal(6, tokyo.Today.Calls); // 22:30 UTC yesterday is 07:30 today in Tokyo
    }

    [Fact]
    public async Task A_status_line_reading_wins_and_usage_since_it_is_added_at_the_calibrated_rate()
    {
        await using var index = await TodayAsync();
        await index.Store.RecordSignalsAsync(
        [
            new ObservedSignal { Key = "a", Kind = SignalKind.StatusLine, Window = WindowKind.FiveHour, Utilisation = 40m, ResetsAt = At("2026-11-20T14:00Z"), ObservedAt = At("2026-11-20T11:10Z") },
            new ObservedSignal { Key = "b", Kind = SignalKind.StatusLine, Window = WindowKind.Weekly, Utilisation = 20m, ResetsAt = At("2026-11-23T09:00Z"), ObservedAt = At("2026-11-20T11:10Z") },
        ], CancellationToken.None);
        var report = await ReportAsync(index, Max5);
        var five = report.Windows[0];
        Assert.Equal((At("2026-11-20T09:00Z"), At("2026-11-20T14:00Z"), Provenance.StatusLine), (five.Start!.Value, five.ResetsAt!.Value, five.ResetSource));

        // Calibrated: $c local at 40% means the window allows $c / 0.4.
        var atReading = await CostAsync(index, "2026-11-20T09:00Z", "2026-11-20T11:10:00.001Z");
        var limit = atReading / 0.4m;
        Assert.Equal((limit, Provenance.StatusLine, 1), (five.LimitUsd!.Value, five.LimitSource, five.LimitSamples));
        var since = await CostAsync(index, "2026-11-20T11:10:00.001Z", "2026-11-20T12:00:00.001Z");
        Assert.Equal((40m + (since / limit * 100m), Provenance.StatusLine), (five.Utilisation!.Value, five.UtilisationSource));
        Assert.Equal((40m, At("2026-11-20T11:10Z")), (five.ObservedUtilisation!.Value, five.ObservedAt!.Value));

        var weekly = report.Windows[1];
        Assert.Equal((At("2026-11-16T09:00Z"), At("2026-11-23T09:00Z"), Provenance.StatusLine), (weekly.Start!.Value, weekly.ResetsAt!.Value, weekly.ResetSource));
        Assert.Equal(Provenance.StatusLine, weekly.UtilisationSource);
        Assert.Equal(Provenance.StatusLine, weekly.LimitSource);

        // The opus window has no signal of its own: it follows the weekly reset, and its limit stays unknown.
        var opus = report.Windows[2];
        Assert.Equal((At("2026-11-23T09:00Z"), Provenance.StatusLine), (opus.ResetsAt!.Value, opus.ResetSource));
        Assert.Null(opus.LimitUsd);
    }

    [Fact]
    public async Task A_limit_hit_not_yet_reset_blocks_and_no_window_claims_headroom()
    {
        await using var index = await TodayAsync();
        await index.Store.RecordSignalsAsync(
        [
            new ObservedSignal { Key = "hit", Kind = SignalKind.LimitLine, Window = WindowKind.FiveHour, Utilisation = 100m, ResetsAt = At("2026-11-20T13:00Z"), ObservedAt = At("2026-11-20T11:50Z") },
        ], CancellationToken.None);

        // max20's estimate alone would say a few percent used.
        var report = await ReportAsync(index, PlanFile.Defaults.Find("max20")!, weeklyReset: new WindowAnchor(At("2026-11-16T09:00Z"), At("2026-11-23T09:00Z"), null, Now));
        Assert.True(report.Blocked);
        Assert.Equal(At("2026-11-20T13:00Z"), report.BlockedUntil);
        Assert.Equal(WindowKind.FiveHour, report.BlockedBy);
        var five = report.Windows[0];
        Assert.True(five.Blocked);
        Assert.Equal((100m, Provenance.LimitLine), (five.Utilisation!.Value, five.UtilisationSource));
        Assert.Equal((At("2026-11-20T13:00Z"), Provenance.LimitLine), (five.ResetsAt!.Value, five.ResetSource));
        Assert.Null(five.ProjectedLimitAt);

        // The hit calibrates the limit: what was used in 08:00-11:50 is what the window allows.
        Assert.Equal((await CostAsync(index, "2026-11-20T08:00Z", "2026-11-20T11:50:00.001Z"), Provenance.LimitLine), (five.LimitUsd!.Value, five.LimitSource));
        Assert.All(report.Windows, static w => Assert.Equal(0m, w.Headroom));
        Assert.All(report.Windows.Skip(1), static w => Assert.Contains(w.Notes, static n => n.StartsWith("Claude Code is blocked by its 5-hour limit", StringComparison.Ordinal)));
        Assert.Equal(Provenance.Plan, report.Windows[1].ResetSource);

        // Once it has reset, the window is open again.
        var later = await ReportAsync(index, PlanFile.Defaults.Find("max20")!, now: At("2026-11-20T13:00Z"));
        Assert.False(later.Blocked);
    }

    [Fact]
    public async Task A_weekly_hit_blocks_the_5_hour_window_too_and_an_opus_hit_blocks_only_opus()
    {
        await using var index = await TodayAsync();
        await index.Store.RecordSignalsAsync([new ObservedSignal { Key = "opus", Kind = SignalKind.LimitLine, Window = WindowKind.Model, Model = "opus", Utilisation = 100m, ResetsAt = At("2026-11-22T00:00Z"), ObservedAt = At("2026-11-20T11:46Z") }], CancellationToken.None);
        var opusOnly = await ReportAsync(index, Max5);
        Assert.False(opusOnly.Blocked);
        Assert.True(opusOnly.Windows[2].Blocked);
        Assert.Equal(0m, opusOnly.Windows[2].Headroom);
        Assert.True(opusOnly.Windows[0].Headroom > 0m);

        await index.Store.RecordSignalsAsync([new ObservedSignal { Key = "week", Kind = SignalKind.LimitLine, Window = WindowKind.Weekly, Utilisation = 100m, ResetsAt = At("2026-11-23T09:00Z"), ObservedAt = At("2026-11-20T11:47Z") }], CancellationToken.None);
        var weekly = await ReportAsync(index, Max5);
        Assert.True(weekly.Blocked);
        Assert.Equal((WindowKind.Weekly, At("2026-11-23T09:00Z")), (weekly.BlockedBy!.Value, weekly.BlockedUntil!.Value));
        Assert.Equal(0m, weekly.Windows[0].Headroom);
        Assert.False(weekly.Windows[0].Blocked);
        Assert.Null(weekly.Windows[0].ProjectedLimitAt);
    }

    [Fact]
    public async Task A_status_line_at_100_percent_blocks()
    {
        await using var index = await TodayAsync();
        await index.Store.RecordSignalsAsync([new ObservedSignal { Key = "full", Kind = SignalKind.StatusLine, Window = WindowKind.FiveHour, Utilisation = 100m, ResetsAt = At("2026-11-20T14:00Z"), ObservedAt = At("2026-11-20T11:58Z") }], CancellationToken.None);
        var report = await ReportAsync(index, Max5);
        Assert.True(report.Blocked);
        Assert.All(report.Windows, static w => Assert.Equal(0m, w.Headroom));
    }

    [Fact]
    public async Task A_notice_with_no_reset_blocks_until_usage_resumes()
    {
        await using var index = await TodayAsync();
        await index.Store.RecordSignalsAsync([new ObservedSignal { Key = "unknown", Kind = SignalKind.LimitLine, Window = WindowKind.Unknown, Utilisation = 100m, ObservedAt = At("2026-11-20T11:50Z") }], CancellationToken.None);
        var report = await ReportAsync(index, Max5);
        Assert.True(report.Blocked);
        Assert.Null(report.BlockedUntil);

        var file = index.ProjectFile("-home-a-app/s1.jsonl");
        await File.AppendAllTextAsync(file, Lines.Assistant("msg_6", 10, 100, at: "2026-11-20T11:55:00.000Z") + "\n");
        await index.SyncAsync();
        Assert.False((await ReportAsync(index, Max5)).Blocked);
    }

    [Fact]
    public async Task A_custom_plan_learns_the_5_hour_limit_from_recent_blocks()
    {
        await using var index = await TodayAsync();
        var custom = PlanFile.Defaults.Find("custom")!;
        var report = await ReportAsync(index, custom);

        // One completed block in the last 8 days (yesterday 22:00-03:00): its cost is the learned limit.
        var yesterday = await CostAsync(index, "2026-11-19T22:00Z", "2026-11-20T03:00Z");
        Assert.Equal((yesterday, Provenance.History, 1), (report.Windows[0].LimitUsd!.Value, report.Windows[0].LimitSource, report.Windows[0].LimitSamples));
        Assert.Equal(Provenance.Estimate, report.Windows[0].UtilisationSource);
    }
}
