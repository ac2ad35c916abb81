using Tally.Core.Usage;

namespace Tally.Core.Tests.Usage;

public class SightingTests
{
    [Fact]
    public void Each_call_is_kept_once_with_its_best_sighting_and_its_earliest_time_in_first_seen_order()
    {
        var t0 = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        UsageRecord Line(string key, long output, int seconds, bool sidechain = false) => new()
        {
            Key = key,
            Model = "claude-sonnet-4-5",
            IsSidechain = sidechain,
            Tokens = new TokenCounts(3, output, 0, 0, 0),
            Timestamp = t0.AddSeconds(seconds),
            ContentHash = (ulong)(output * 31 + seconds),
        };

        // A streamed response (placeholder, then the final line), a replay of it in a sidechain, and a second call.
        var placeholder = Line("m:a", 1, 5);
        var final = Line("m:a", 400, 9);
        var replay = Line("m:a", 900, 2, sidechain: true);
        var other = Line("m:b", 7, 1);

        var sightings = Sighting.BestOf([placeholder, other, replay, final]);

        Assert.Equal(["m:a", "m:b"], sightings.Select(s => s.Record.Key));
        Assert.Same(final, sightings[0].Record);
        Assert.Equal(t0.AddSeconds(2), sightings[0].Earliest);
        Assert.Equal(RecordRank.Of(final), sightings[0].Rank);
        Assert.Same(other, sightings[1].Record);
        Assert.Equal(other.Timestamp, sightings[1].Earliest);
        Assert.Empty(Sighting.BestOf([]));
    }

    [Fact]
    public void The_winner_does_not_depend_on_the_order_of_the_lines()
    {
        var random = new Random(11);
        var lines = Enumerable.Range(0, 200).Select(i => new UsageRecord
        {
            Key = $"m:{random.Next(20)}",
            Model = "m",
            IsSidechain = random.Next(3) == 0,
            Tokens = new TokenCounts(random.Next(5), random.Next(5), 0, 0, 0),
            Timestamp = DateTimeOffset.UnixEpoch.AddSeconds(random.Next(50)),
            ContentHash = (ulong)i,
        }).ToList();

        var expected = Sighting.BestOf(lines).OrderBy(s => s.Record.Key, StringComparer.Ordinal).ToList();
        for (var round = 0; round < 20; round++)
        {
            var shuffled = lines.ToArray();
            random.Shuffle(shuffled);
            Assert.Equal(expected, Sighting.BestOf(shuffled).OrderBy(s => s.Record.Key, StringComparer.Ordinal));
        }
    }
}
