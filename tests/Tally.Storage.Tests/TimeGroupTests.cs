using Tally.Core.Reports;
using Tally.Core.Storage;
using Tally.Ingest.Demo;

namespace Tally.Storage.Tests;

/// <summary>
/// Reports fold time into local days from groups wider than the index's quarter hour when the zone allows it (a whole
/// day at a constant offset, an hour at whole-hour offsets): over a real index, every day's figures must equal those
/// folded from quarter hours, in zones with and without clock changes and with half- and quarter-hour offsets.
/// </summary>
public class TimeGroupTests
{
    public static TheoryData<string, string, string> Ranges => new()
    {
        { "UTC", "2026-10-10", "2026-11-20" },
        { "Europe/Berlin", "2026-10-10", "2026-11-20" },  // crosses the end of summer time (25 October)
        { "Europe/Berlin", "2026-11-01", "2026-11-20" },  // one offset throughout
        { "America/Santiago", "2026-10-10", "2026-11-20" },
        { "Asia/Kolkata", "2026-10-10", "2026-11-20" },    // +05:30
        { "Asia/Kathmandu", "2026-10-10", "2026-11-20" },  // +05:45
        { "Australia/Lord_Howe", "2026-09-20", "2026-11-20" }, // a half-hour clock change
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public async Task Days_from_wide_groups_equal_days_folded_from_quarter_hours(string zoneId, string first, string last)
    {
        await using var index = new IndexHarness();
        new CorpusGenerator().Write(index.ClaudeDir, CorpusOptions.Demo(new DateOnly(2026, 11, 20)) with { TargetBytes = 400_000 });
        await index.SyncAsync();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var request = new ReportRequest { Kind = ReportKind.Daily, Zone = zone, Since = DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture), Until = DateOnly.Parse(last, System.Globalization.CultureInfo.InvariantCulture) };
        var query = new UsageQuery { From = request.From, Until = request.To, GroupBy = GroupBy.QuarterHour | GroupBy.Model };
        var (quarters, shift) = TimeGroups.For(zone, query.From, query.Until);

        var quarterHours = await index.Store.AggregateAsync(query, CancellationToken.None);
        var wide = await index.Store.AggregateAsync(query with { BucketQuarters = quarters, BucketShiftQuarters = shift }, CancellationToken.None);

        Assert.NotEmpty(quarterHours);
        var expected = ByDay(quarterHours, request);
        var actual = ByDay(wide, request);
        var differ = expected.Zip(actual).FirstOrDefault(static p => p.First != p.Second);
        Assert.True(expected.SequenceEqual(actual), $"{quarters}x{shift}: {expected.Count} vs {actual.Count} days; first difference:\n{differ.First}\n{differ.Second}");
        if (quarters > 1)
        {
            Assert.True(wide.Count < quarterHours.Count, $"{quarters}-quarter groups gave {wide.Count} rows, quarter hours {quarterHours.Count}");
        }
    }

    [Fact]
    public void The_width_follows_the_zone_and_the_range()
    {
        static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((96, 0), TimeGroups.For(TimeZoneInfo.Utc, null, null));
        Assert.Equal((96, 0), TimeGroups.For(TimeZoneInfo.FindSystemTimeZoneById("UTC"), null, null));
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        Assert.Equal((96, 4), TimeGroups.For(berlin, At("2026-11-01T00:00Z"), At("2026-11-30T00:00Z")));
        Assert.Equal((4, 0), TimeGroups.For(berlin, At("2026-10-01T00:00Z"), At("2026-11-30T00:00Z")));
        Assert.Equal((4, 0), TimeGroups.For(berlin, null, null));
        var kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");
        Assert.Equal((96, 22), TimeGroups.For(kolkata, At("2026-11-01T00:00Z"), At("2026-11-30T00:00Z")));
        var lordHowe = TimeZoneInfo.FindSystemTimeZoneById("Australia/Lord_Howe");
        Assert.Equal((1, 0), TimeGroups.For(lordHowe, At("2026-09-01T00:00Z"), At("2026-11-30T00:00Z")));
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        Assert.Equal((96, -20), TimeGroups.For(newYork, At("2026-12-01T00:00Z"), At("2026-12-31T00:00Z")));
    }

    private static List<string> ByDay(IReadOnlyList<AggregateRow> rows, ReportRequest request) =>
        [.. rows.GroupBy(r => (Day: request.DayOf(r.Bucket!.Value), r.Model))
            .Select(g => $"{g.Key.Day:yyyy-MM-dd} {g.Key.Model}: calls {g.Sum(static r => r.Calls)} tokens {g.Sum(static r => r.Tokens.Total)} cost {g.Sum(static r => r.CostUsd):0.##########################} first {g.Min(static r => r.FirstSeen):O} last {g.Max(static r => r.LastSeen):O}")
            .Order(StringComparer.Ordinal)];
}
