namespace Tally.Cli.Live;

/// <summary>The sync a live frame follows.</summary>
/// <param name="At">When it finished.</param>
/// <param name="Full">True for a full sync (at start, or after the watcher lost events); false for the changed files only.</param>
/// <param name="FilesRead">Transcripts with new bytes.</param>
/// <param name="RecordsRead">Usage lines read.</param>
internal sealed record LiveSync(DateTimeOffset At, bool Full, int FilesRead, long RecordsRead);
