using Tally.Core.Usage;

namespace Tally.Core.Tests.Usage;

public class RecordRankTests
{
    [Fact]
    public void Comparing_sightings_agrees_with_comparing_their_ranks()
    {
        var random = new Random(7);
        UsageRecord Next() => new()
        {
            Key = "m:msg_1",
            Model = "claude-sonnet-4-5",
            IsSidechain = random.Next(2) == 0,
            Tokens = new TokenCounts(random.Next(3), random.Next(3), 0, 0, random.Next(2) == 0 ? 0 : long.MaxValue / 8),
            Timestamp = DateTimeOffset.UnixEpoch.AddTicks(random.Next(3)),
            ContentHash = random.Next(2) == 0 ? (ulong)random.Next(3) : ulong.MaxValue - (ulong)random.Next(3),
        };

        for (var i = 0; i < 5_000; i++)
        {
            var (a, b) = (Next(), Next());
            Assert.Equal(RecordRank.Length, RecordRank.Of(a).Length);
            Assert.Equal(Math.Sign(string.CompareOrdinal(RecordRank.Of(a), RecordRank.Of(b))), Math.Sign(RecordRank.Compare(a, b)));
        }
    }

    [Fact]
    public void The_original_beats_a_sidechain_replay_with_more_tokens_and_the_final_streamed_line_beats_a_placeholder()
    {
        var original = new UsageRecord { Key = "k", Model = "m", Tokens = new TokenCounts(1, 10, 0, 0, 0), Timestamp = DateTimeOffset.UnixEpoch, ContentHash = 1 };
        Assert.True(RecordRank.Compare(original, original with { IsSidechain = true, Tokens = new TokenCounts(1, 99, 0, 0, 0) }) > 0);
        Assert.True(RecordRank.Compare(original with { Tokens = new TokenCounts(1, 400, 0, 0, 0) }, original) > 0);
    }
}
