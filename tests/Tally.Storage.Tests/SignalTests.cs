using Tally.Core.Limits;
using Tally.Core.Storage;

namespace Tally.Storage.Tests;

public class SignalTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private static async Task<string> WriteAsync(IndexHarness index, string relative, params string[] lines)
    {
        var file = index.ProjectFile(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, string.Join('\n', lines) + "\n");
        return file;
    }

    [Fact]
    public async Task The_samples_limit_line_is_captured_once_with_its_reset_and_place()
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        await index.SyncAsync();
        var signal = Assert.Single(await index.Store.SignalsAsync(DateTimeOffset.MinValue, CancellationToken.None));
        Assert.Equal("limit:a0000000-0000-4000-8000-000000000007", signal.Key);
        Assert.Equal(SignalKind.LimitLine, signal.Kind);
        Assert.Equal(WindowKind.FiveHour, signal.Window);
        Assert.Equal(Noon, signal.ResetsAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 51, 0, TimeSpan.Zero), signal.ObservedAt);
        Assert.Equal(100m, signal.Utilisation);
        Assert.EndsWith("5f0c2c1e-7a7b-4f0e-9a57-1c2d3e4f5a6b.jsonl:8", signal.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Re_reading_a_rewritten_file_or_a_copy_of_the_line_records_no_second_signal()
    {
        await using var index = new IndexHarness();
        var notice = Lines.LimitNotice("You've hit your session limit · resets 3pm", "2026-11-20T11:00:00.000Z", "u-limit");
        var file = await WriteAsync(index, "-home-a-app/s1.jsonl", Lines.Assistant("msg_1", 10, 20), notice);
        await index.SyncAsync();

        // The file rewritten in place (its first line changed): read again from the start.
        await File.WriteAllTextAsync(file, Lines.Assistant("msg_1", 10, 21) + "\n" + notice + "\n");
        var report = await index.SyncAsync();
        Assert.Equal(1, report.FilesRestarted);

        // The same line copied into a resumed session's file.
        await WriteAsync(index, "-home-a-app/s2.jsonl", notice);
        await index.SyncAsync();

        var signal = Assert.Single(await index.Store.SignalsAsync(DateTimeOffset.MinValue, CancellationToken.None));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero), signal.ResetsAt);
        Assert.Equal(WindowKind.FiveHour, signal.Window);
        Assert.Equal(1, (await IndexHarness.TotalsAsync(index.Store)).Calls);
    }

    [Fact]
    public async Task A_system_line_notice_is_captured_and_a_user_quoting_one_is_not()
    {
        await using var index = new IndexHarness();
        await WriteAsync(
            index,
            "-home-a-app/s1.jsonl",
            Lines.UserSays("You've hit your weekly limit · resets Mon 9am", "2026-11-20T10:00:00.000Z"),
            Lines.UserSays("assistant, why did I get: You've hit your weekly limit · resets Mon 9am", "2026-11-20T10:00:01.000Z"),
            Lines.SystemNotice("You've hit your weekly limit · resets Mon 9am", "2026-11-20T10:00:02.000Z", "u-system"),
            Lines.Assistant("msg_1", 10, 20));
        var report = await index.SyncAsync();
        Assert.Equal(0, report.Problems);
        var signal = Assert.Single(await index.Store.SignalsAsync(DateTimeOffset.MinValue, CancellationToken.None));
        Assert.Equal("limit:u-system", signal.Key);
        Assert.Equal(WindowKind.Weekly, signal.Window);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero), signal.ResetsAt);
    }

    [Fact]
    public async Task A_notice_read_in_the_machines_zone()
    {
        await using var index = new IndexHarness { LimitZone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York") };
        await WriteAsync(index, "-home-a-app/s1.jsonl", Lines.LimitNotice("You've hit your session limit · resets 9am", "2026-11-20T11:00:00.000Z", "u1"));
        await index.SyncAsync();
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 14, 0, 0, TimeSpan.Zero), Assert.Single(await index.Store.SignalsAsync(DateTimeOffset.MinValue, CancellationToken.None)).ResetsAt);
    }

    [Fact]
    public async Task Recording_a_signal_again_only_widens_when_it_was_seen()
    {
        await using var index = new IndexHarness();
        var signal = new ObservedSignal
        {
            Key = "status:5h:1",
            Kind = SignalKind.StatusLine,
            Window = WindowKind.FiveHour,
            Utilisation = 42.5m,
            ResetsAt = Noon,
            ObservedAt = Noon.AddHours(-2),
            Source = "session s1",
        };
        await index.Store.RecordSignalsAsync([signal], CancellationToken.None);
        await index.Store.RecordSignalsAsync([signal with { ObservedAt = Noon.AddHours(-1) }], CancellationToken.None);
        await index.Store.RecordSignalsAsync([signal with { ObservedAt = Noon.AddHours(-3), Source = "other" }], CancellationToken.None);
        var stored = Assert.Single(await index.Store.SignalsAsync(Noon.AddHours(-1), CancellationToken.None));
        Assert.Equal(Noon.AddHours(-3), stored.ObservedAt);
        Assert.Equal(Noon.AddHours(-1), stored.LastObservedAt);
        Assert.Equal(42.5m, stored.Utilisation);
        Assert.Equal("session s1", stored.Source);
        Assert.Empty(await index.Store.SignalsAsync(Noon, CancellationToken.None));
    }

    [Fact]
    public async Task Old_status_line_signals_are_dropped_and_limit_lines_are_kept()
    {
        await using var index = new IndexHarness();
        var old = Noon.AddDays(-120);
        await index.Store.RecordSignalsAsync(
        [
            new ObservedSignal { Key = "old-status", Kind = SignalKind.StatusLine, Window = WindowKind.FiveHour, ObservedAt = old },
            new ObservedSignal { Key = "old-limit", Kind = SignalKind.LimitLine, Window = WindowKind.FiveHour, ObservedAt = old },
        ], CancellationToken.None);
        await index.Store.RecordSignalsAsync([new ObservedSignal { Key = "new-status", Kind = SignalKind.StatusLine, Window = WindowKind.FiveHour, ObservedAt = Noon }], CancellationToken.None);
        Assert.Equal(["old-limit", "new-status"], (await index.Store.SignalsAsync(DateTimeOffset.MinValue, CancellationToken.None)).Select(static s => s.Key));
    }

    [Fact]
    public async Task Scanning_records_gives_each_call_in_time_order_with_the_filters_applied()
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        await index.SyncAsync();
        var calls = new List<AggregateRow>();
        await index.Store.ScanRecordsAsync(new UsageQuery { From = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero) }, calls.Add, CancellationToken.None);
        Assert.Equal(5, calls.Count);
        Assert.True(calls.Select(static c => c.FirstSeen).SequenceEqual(calls.Select(static c => c.FirstSeen).Order()));
        Assert.All(calls, static c => Assert.Equal((1L, c.FirstSeen), (c.Calls, c.LastSeen)));
        var day = await index.Store.AggregateAsync(new UsageQuery { From = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero) }, CancellationToken.None);
        Assert.Equal(day.Single().CostUsd, calls.Sum(static c => c.CostUsd));

        var haiku = new List<AggregateRow>();
        await index.Store.ScanRecordsAsync(new UsageQuery { Models = ["claude-haiku-4-5-20251001"] }, haiku.Add, CancellationToken.None);
        Assert.Equal("7d3f2a", Assert.Single(haiku).AgentId);
    }
}
