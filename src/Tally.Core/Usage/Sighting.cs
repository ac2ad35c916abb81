namespace Tally.Core.Usage;

/// <summary>
/// One call as a batch of records saw it: its best sighting (<see cref="RecordRank"/>), that sighting's rank, and the
/// earliest time any sighting of the call was made. A store keeps the same: the best rank, and the earliest time.
/// </summary>
/// <param name="Record">The best sighting.</param>
/// <param name="Rank">Its rank (<see cref="RecordRank.Of"/>).</param>
/// <param name="Earliest">The earliest timestamp among the call's sightings.</param>
public readonly record struct Sighting(UsageRecord Record, string Rank, DateTimeOffset Earliest)
{
    /// <summary>
    /// Each call of <paramref name="records"/> once (by <see cref="UsageRecord.Key"/>), in the order calls first
    /// appear, with its best sighting and the earliest time any sighting was made. A streamed response's lines usually
    /// sit in one batch, so this about halves the rows a store writes; the rank is built only for the winners.
    /// </summary>
    public static IReadOnlyList<Sighting> BestOf(IReadOnlyList<UsageRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return [];
        }

        var index = new Dictionary<string, int>(records.Count, StringComparer.Ordinal);
        var best = new List<(UsageRecord Record, DateTimeOffset Earliest)>(records.Count);
        foreach (var record in records)
        {
            if (!index.TryGetValue(record.Key, out var at))
            {
                index[record.Key] = best.Count;
                best.Add((record, record.Timestamp));
                continue;
            }

            var seen = best[at];
            var earliest = record.Timestamp < seen.Earliest ? record.Timestamp : seen.Earliest;
            best[at] = (RecordRank.Compare(record, seen.Record) > 0 ? record : seen.Record, earliest);
        }

        var sightings = new Sighting[best.Count];
        for (var i = 0; i < sightings.Length; i++)
        {
            sightings[i] = new Sighting(best[i].Record, RecordRank.Of(best[i].Record), best[i].Earliest);
        }

        return sightings;
    }
}
