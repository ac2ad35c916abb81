namespace Tally.Core.Storage;

/// <summary>How far the index has read one source file, and how to tell the file is still the one it read.</summary>
public sealed record FileCursor
{
    /// <summary>The file's full path.</summary>
    public required string Path { get; init; }

    /// <summary>The file's size when it was last read.</summary>
    public long Size { get; init; }

    /// <summary>The file's last-write time (UTC ticks) when it was last read.</summary>
    public long ModifiedTicks { get; init; }

    /// <summary>Bytes consumed: everything before this offset has been indexed.</summary>
    public long Offset { get; init; }

    /// <summary>Complete lines consumed (the next line's number is this plus one).</summary>
    public long Lines { get; init; }

    /// <summary>A hash of the file's first bytes (up to 4 KiB, never past <see cref="Offset"/>).</summary>
    public ulong HeadHash { get; init; }

    /// <summary>A fingerprint of the bytes before <see cref="Offset"/>: all of them up to 1 MiB; beyond that the last
    /// 64 KiB and 16 evenly spread 4 KiB windows.</summary>
    public ulong ConsumedHash { get; init; }

    /// <summary>True when the file was gone at the last sync (its records are kept).</summary>
    public bool Missing { get; init; }
}
