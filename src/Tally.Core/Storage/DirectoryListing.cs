namespace Tally.Core.Storage;

/// <summary>
/// What one directory under a <c>projects/</c> folder held when it was last listed: its transcripts and its
/// subdirectories, with the directory's identity and change times at that moment. A directory's entries change only
/// when one is added, removed or renamed, which moves its modification and change times; appending to a file does not.
/// So while a directory's <see cref="Stamp"/> is unchanged (and the listing was not taken within a timestamp tick of
/// the last change, <see cref="IsSettled"/>), its entries are the ones listed here and it need not be listed again.
/// </summary>
public sealed record DirectoryListing
{
    /// <summary>How long after a directory's last change a listing must have been taken to be trusted later: a change
    /// made within the same timestamp tick as the listing leaves the times as they were (ext4 and most file systems tick
    /// in milliseconds or less, a few in whole seconds, FAT in two seconds).</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    /// <summary>The directory's full path.</summary>
    public required string Path { get; init; }

    /// <summary>The directory's identity and times when it was listed (taken before the listing).</summary>
    public required DirectoryStamp Stamp { get; init; }

    /// <summary>When the listing was taken, in nanoseconds since the Unix epoch (the clock read before the directory's
    /// stamp, so never later than the listing itself).</summary>
    public required long ListedAtNs { get; init; }

    /// <summary>The names of the transcripts (<c>*.jsonl</c> files) the directory held, in ordinal order.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>The names of the subdirectories (not symbolic links) the directory held, in ordinal order.</summary>
    public required IReadOnlyList<string> Directories { get; init; }

    /// <summary>True when the listing was taken at least <see cref="SettleTime"/> after the directory's last change, so a
    /// later change cannot have left the directory's times as they were.</summary>
    public bool IsSettled => ListedAtNs - Math.Max(Stamp.ModifiedNs, Stamp.ChangedNs) >= (long)SettleTime.TotalNanoseconds;

    /// <summary>True when this listing still says what a directory with <paramref name="current"/> as its stamp holds.</summary>
    public bool StillHolds(DirectoryStamp current) => IsSettled && Stamp == current;
}

/// <summary>A directory's identity and change times, as <c>stat</c> gives them.</summary>
/// <param name="Device">The file system's device number.</param>
/// <param name="Inode">The directory's inode number.</param>
/// <param name="ModifiedNs">Its last modification (an entry added, removed or renamed), nanoseconds since the Unix epoch.</param>
/// <param name="ChangedNs">Its last status change (also moved by a rename or a change of owner or mode), nanoseconds
/// since the Unix epoch; it cannot be set back, as the modification time can.</param>
public readonly record struct DirectoryStamp(long Device, long Inode, long ModifiedNs, long ChangedNs);
