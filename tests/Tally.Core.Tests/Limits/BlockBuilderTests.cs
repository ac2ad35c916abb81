using Tally.Core.Limits;
using Tally.Core.Storage;
using Tally.Core.Usage;

namespace Tally.Core.Tests.Limits;

public class BlockBuilderTests
{
    private static readonly TimeSpan Five = TimeSpan.FromHours(5);
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(string hhmm, int day = 0) => Day.AddDays(day) + TimeSpan.Parse(hhmm, System.Globalization.CultureInfo.InvariantCulture);

    private static AggregateRow Call(DateTimeOffset at, long output = 100, decimal cost = 1m, string model = "claude-sonnet-4-5") => new()
    {
        Model = model,
        Tokens = new TokenCounts(10, output, 0, 0, 1000),
        Calls = 1,
        CostUsd = cost,
        FirstSeen = at,
        LastSeen = at,
    };

    private static IReadOnlyList<UsageBlock> Build(DateTimeOffset now, IEnumerable<AggregateRow> calls, TimeSpan? length = null, IReadOnlyList<WindowAnchor>? anchors = null)
    {
        var builder = new BlockBuilder(length ?? Five, now, anchors);
        foreach (var call in calls.OrderBy(static c => c.FirstSeen))
        {
            builder.Add(call.FirstSeen, call.LastSeen, [call]);
        }

        return builder.Finish();
    }

    [Fact]
    public void Calls_within_five_hours_of_the_first_calls_hour_are_one_block()
    {
        var blocks = Build(At("23:00"), [Call(At("09:50")), Call(At("10:00")), Call(At("10:52"), model: "claude-haiku-4-5")]);
        var block = Assert.Single(blocks);
        Assert.Equal("2026-11-20T09:00:00.000Z", block.Id);
        Assert.Equal(At("09:00"), block.Start);
        Assert.Equal(At("14:00"), block.End);
        Assert.Equal(At("09:50"), block.FirstEntry);
        Assert.Equal(At("10:52"), block.ActualEnd);
        Assert.Equal(3, block.Totals.Calls);
        Assert.Equal(3m, block.Totals.CostUsd);
        Assert.Equal(["claude-sonnet-4-5", "claude-haiku-4-5"], block.Models.Select(static m => m.Model));
        Assert.False(block.IsActive);
        Assert.Null(block.BurnRate);
        Assert.Null(block.AnchoredBy);
    }

    [Fact]
    public void A_call_more_than_five_hours_after_the_block_start_starts_a_new_block_without_a_gap()
    {
        var blocks = Build(At("23:00"), [Call(At("09:10")), Call(At("13:50")), Call(At("14:05"))]);
        Assert.Equal([At("09:00"), At("14:00")], blocks.Select(static b => b.Start));
        Assert.DoesNotContain(blocks, static b => b.IsGap);
        Assert.Equal([2L, 1L], blocks.Select(static b => b.Totals.Calls));
    }

    [Fact]
    public void A_call_exactly_at_the_block_end_still_belongs_to_it()
    {
        var blocks = Build(At("23:00"), [Call(At("09:00")), Call(At("14:00")), Call(At("14:00:00.001"))]);
        Assert.Equal([2L, 1L], blocks.Select(static b => b.Totals.Calls));
    }

    [Fact]
    public void Idle_time_longer_than_a_block_is_a_gap_block()
    {
        var first = At("09:17:50");
        var second = At("15:47:41");
        var blocks = Build(At("23:00"), [Call(first), Call(second)]);
        Assert.Equal(3, blocks.Count);
        var gap = blocks[1];
        Assert.True(gap.IsGap);
        Assert.Equal("gap-2026-11-20T14:17:50.000Z", gap.Id);
        Assert.Equal(first + Five, gap.Start);
        Assert.Equal(second, gap.End);
        Assert.Null(gap.ActualEnd);
        Assert.Equal(0, gap.Totals.Calls);
        Assert.Equal(At("15:00"), blocks[2].Start);
    }

    [Fact]
    public void The_active_block_has_a_burn_rate_and_a_projection()
    {
        var now = At("12:00");
        var blocks = Build(now, [Call(At("10:00"), output: 990, cost: 1m), Call(At("11:00"), output: 990, cost: 2m)]);
        var block = Assert.Single(blocks);
        Assert.True(block.IsActive);
        var rate = block.BurnRate!;

        // 2 calls x (10 + 990 + 1000) tokens over 60 minutes; $3 over an hour.
        Assert.Equal(4000 / 60.0, rate.TokensPerMinute, 9);
        Assert.Equal(2000 / 60.0, rate.TokensPerMinuteForIndicator, 9);
        Assert.Equal(3m, rate.CostPerHour);
        var projection = block.Projection!;
        Assert.Equal(180, projection.RemainingMinutes); // 12:00 to 15:00
        Assert.Equal(4000 + (4000 / 60.0 * 180), projection.TotalTokens, 0);
        Assert.Equal(12m, projection.TotalCost); // $3 + $3/h x 3h
    }

    [Fact]
    public void A_block_is_active_until_it_ends_or_its_last_call_is_a_block_length_old()
    {
        Assert.False(Assert.Single(Build(At("14:00"), [Call(At("09:00")), Call(At("09:30"))])).IsActive); // ended
        Assert.True(Assert.Single(Build(At("13:59"), [Call(At("09:00")), Call(At("09:30"))])).IsActive);
        Assert.True(Assert.Single(Build(At("12:00"), [Call(At("07:00"))], length: TimeSpan.FromHours(10))).IsActive); // 5h idle, in a 10h block
        Assert.False(Assert.Single(Build(At("17:00"), [Call(At("07:00"))], length: TimeSpan.FromHours(10))).IsActive); // 10h idle
    }

    [Fact]
    public void The_session_length_changes_where_blocks_split()
    {
        var calls = new[] { Call(At("09:10")), Call(At("11:40")), Call(At("12:10")) };
        Assert.Single(Build(At("23:00"), calls));
        var short_ = Build(At("23:00"), calls, TimeSpan.FromHours(2.5));

        // 11:40 is 2h40 after 09:00: a new block at 11:00; 12:10 is 1h10 after 11:00: same block.
        Assert.Equal([At("09:00"), At("11:00")], short_.Select(static b => b.Start));
        Assert.Equal(At("13:30"), short_[1].End);
    }

    [Fact]
    public void An_anchored_window_takes_its_calls_and_the_next_block_starts_at_its_reset()
    {
        // A status line said the window resets at 12:30: it ran 07:30-12:30. ccusage alone would say 09:00-14:00.
        var anchor = new WindowAnchor(At("07:30"), At("12:30"), SignalKind.StatusLine, At("10:00"));
        var blocks = Build(At("23:00"), [Call(At("09:50")), Call(At("12:29")), Call(At("12:45")), Call(At("13:10"))], anchors: [anchor]);
        Assert.Equal(2, blocks.Count);
        Assert.Equal((At("07:30"), At("12:30"), SignalKind.StatusLine), (blocks[0].Start, blocks[0].End, blocks[0].AnchoredBy!.Value));
        Assert.Equal(2, blocks[0].Totals.Calls);
        Assert.Equal(At("12:30"), blocks[1].Start); // not 12:00: the known window had not reset then
        Assert.Equal(At("17:30"), blocks[1].End);
        Assert.Null(blocks[1].AnchoredBy);
    }

    [Fact]
    public void An_estimated_block_ends_where_a_known_window_begins()
    {
        var anchor = new WindowAnchor(At("11:00"), At("16:00"), SignalKind.LimitLine, At("15:00"));
        var blocks = Build(At("23:00"), [Call(At("09:10")), Call(At("10:59")), Call(At("11:00")), Call(At("15:00"))], anchors: [anchor]);
        Assert.Equal([(At("09:00"), At("11:00")), (At("11:00"), At("16:00"))], blocks.Select(static b => (b.Start, b.End)));
        Assert.Equal([2L, 2L], blocks.Select(static b => b.Totals.Calls));
    }

    [Fact]
    public void Overlapping_signals_keep_the_most_authoritative_then_the_latest()
    {
        static ObservedSignal Signal(SignalKind kind, string resets, string seen) => new()
        {
            Key = $"{kind}{resets}{seen}",
            Kind = kind,
            Window = WindowKind.FiveHour,
            ResetsAt = At(resets),
            ObservedAt = At(seen),
        };

        var anchors = WindowAnchor.FiveHour(
            [Signal(SignalKind.LimitLine, "12:00", "11:00"), Signal(SignalKind.StatusLine, "12:30", "10:00"), Signal(SignalKind.StatusLine, "19:00", "15:00"), Signal(SignalKind.LimitLine, "20:00", "19:30")],
            Five);
        Assert.Equal([(At("07:30"), At("12:30")), (At("14:00"), At("19:00"))], anchors.Select(static a => (a.Start, a.End)));
    }

    [Fact]
    public void A_signal_observed_before_the_window_it_names_places_nothing()
    {
        var signal = new ObservedSignal { Key = "k", Kind = SignalKind.StatusLine, Window = WindowKind.FiveHour, ResetsAt = At("20:00"), ObservedAt = At("09:00") };
        Assert.Empty(WindowAnchor.FiveHour([signal], Five));
    }

    [Fact]
    public void Quarter_hour_buckets_give_exactly_the_blocks_of_single_calls()
    {
        var random = new Random(20261120);
        for (var round = 0; round < 200; round++)
        {
            var calls = new List<AggregateRow>();
            var at = Day.AddMilliseconds(random.Next(0, 3_600_000));
            for (var i = random.Next(1, 60); i > 0; i--)
            {
                // Mostly close together, sometimes hours apart, sometimes exactly on a quarter hour.
                at += random.Next(10) switch
                {
                    0 => TimeSpan.FromMinutes(random.Next(240, 700)),
                    1 => TimeSpan.FromMinutes(15 - (at.Minute % 15)) - TimeSpan.FromSeconds(at.Second) - TimeSpan.FromMilliseconds(at.Millisecond),
                    _ => TimeSpan.FromMilliseconds(random.Next(1, 40 * 60_000)),
                };
                calls.Add(Call(at, output: random.Next(1, 5000), cost: random.Next(1, 100) / 100m, model: random.Next(3) == 0 ? "claude-opus-4-6" : "claude-sonnet-4-5"));
            }

            var now = at + TimeSpan.FromMinutes(random.Next(0, 400));
            var single = Build(now, calls);
            var bucketed = new BlockBuilder(Five, now);
            foreach (var bucket in calls.GroupBy(static c => c.FirstSeen.UtcTicks / TimeSpan.FromMinutes(15).Ticks).OrderBy(static g => g.Key))
            {
                var start = new DateTimeOffset(bucket.Key * TimeSpan.FromMinutes(15).Ticks, TimeSpan.Zero);
                var first = bucket.Min(static c => c.FirstSeen);
                var last = bucket.Max(static c => c.LastSeen);
                if (first == start && last > first)
                {
                    foreach (var call in bucket)
                    {
                        bucketed.Add(call.FirstSeen, call.LastSeen, [call]);
                    }

                    continue;
                }

                var byModel = bucket.GroupBy(static c => c.Model).Select(static g => g.Aggregate(static (a, b) => a with
                {
                    Tokens = a.Tokens + b.Tokens,
                    Calls = a.Calls + b.Calls,
                    CostUsd = a.CostUsd + b.CostUsd,
                    FirstSeen = a.FirstSeen < b.FirstSeen ? a.FirstSeen : b.FirstSeen,
                    LastSeen = a.LastSeen > b.LastSeen ? a.LastSeen : b.LastSeen,
                }));
                bucketed.Add(first, last, byModel);
            }

            Assert.Equal(Describe(single), Describe(bucketed.Finish()));
        }
    }

    private static string Describe(IEnumerable<UsageBlock> blocks) => string.Join('\n', blocks.Select(static b =>
        $"{b.Id} {b.End:o} {b.ActualEnd:o} {b.IsActive} {b.IsGap} {b.Totals} {string.Join(',', b.Models)} {b.BurnRate} {b.Projection}"));
}
