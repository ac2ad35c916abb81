using System.Globalization;

namespace Tally.Core.Usage;

/// <summary>
/// The order between two sightings of one API call (same key), so that every store keeps the same one whatever
/// order files are read in: a non-sidechain line beats a sidechain replay, then more total tokens win (the final
/// streamed line carries the final output count), then the later line, then the larger content hash.
/// The rank is a fixed-width string: comparing ranks ordinally compares sightings.
/// </summary>
public static class RecordRank
{
    /// <summary>The rank of a sighting; a greater rank (ordinal) is the better sighting.</summary>
    public static string Of(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return string.Create(CultureInfo.InvariantCulture, $"{(record.IsSidechain ? '0' : '1')}{record.Tokens.Total:x16}{record.Timestamp.UtcTicks:x16}{record.ContentHash:x16}");
    }
}
