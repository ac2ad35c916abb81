namespace Tally.Ingest.Sync;

/// <summary>Progress of a sync, in bytes of the files it has to read.</summary>
/// <param name="BytesDone">Bytes read so far.</param>
/// <param name="BytesTotal">Bytes to read in all.</param>
public readonly record struct SyncProgress(long BytesDone, long BytesTotal);
