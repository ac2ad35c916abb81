namespace Tally.Core.Storage;

/// <summary>A file as the file system shows it now.</summary>
/// <param name="Path">Its full path.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="ModifiedTicks">Its last-write time, UTC ticks.</param>
public readonly record struct FileState(string Path, long Size, long ModifiedTicks);

/// <summary>How the files on disk differ from the cursors the index holds.</summary>
/// <param name="Changed">The positions, in the list compared, of the files that need reading: no cursor, a cursor marked
/// missing, or a size or time other than the cursor's.</param>
/// <param name="Unseen">The paths of files the index holds (not marked missing) that were not among those compared.</param>
public sealed record FileComparison(IReadOnlyList<int> Changed, IReadOnlyList<string> Unseen);
