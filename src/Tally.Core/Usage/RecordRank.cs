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
    /// <summary>The rank's length: a flag and three 16-digit hex numbers.</summary>
    public const int Length = 49;

    /// <summary>The rank of a sighting; a greater rank (ordinal) is the better sighting.</summary>
    public static string Of(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return string.Create(Length, record, static (span, r) =>
        {
            span[0] = r.IsSidechain ? '0' : '1';
            ((ulong)r.Tokens.Total).TryFormat(span.Slice(1, 16), out _, "x16", CultureInfo.InvariantCulture);
            ((ulong)r.Timestamp.UtcTicks).TryFormat(span.Slice(17, 16), out _, "x16", CultureInfo.InvariantCulture);
            r.ContentHash.TryFormat(span.Slice(33, 16), out _, "x16", CultureInfo.InvariantCulture);
        });
    }

    /// <summary>Compares two sightings exactly as their ranks compare, without building the ranks.</summary>
    public static int Compare(UsageRecord left, UsageRecord right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var byChain = right.IsSidechain.CompareTo(left.IsSidechain);
        if (byChain != 0)
        {
            return byChain;
        }

        var byTokens = ((ulong)left.Tokens.Total).CompareTo((ulong)right.Tokens.Total);
        if (byTokens != 0)
        {
            return byTokens;
        }

        var byTime = ((ulong)left.Timestamp.UtcTicks).CompareTo((ulong)right.Timestamp.UtcTicks);
        return byTime != 0 ? byTime : left.ContentHash.CompareTo(right.ContentHash);
    }
}
