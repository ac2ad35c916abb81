using System.CommandLine;
using Spectre.Console;
using Tally.Cli.App;

namespace Tally.Cli.Commands;

/// <summary><c>tally sync</c>: brings the index up to date and says what it read.</summary>
internal sealed class SyncCommand : Command
{
    private readonly TallyContext _context;

    /// <summary>Creates the verb.</summary>
    public SyncCommand(TallyContext context)
        : base("sync", "Bring the index up to date with the transcripts on disk, and say what was read")
    {
        _context = context;
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var environment = _context.Environment;
        var settings = _context.Global.Read(result) with { NoSync = false, AskWatcher = false };
        await using var run = await TallyRun.OpenAsync(settings, environment, cancellationToken);
        if (await run.HasNoDataAsync(cancellationToken))
        {
            NoDataMessage.Write(run);
            return ExitCodes.NoData;
        }

        var sync = run.Sync!;
        var console = environment.Console;
        console.MarkupLineInterpolated($"Index: {run.Paths.IndexFile}");
        console.MarkupLineInterpolated($"Transcripts: {sync.FilesSeen} found, {sync.FilesRead} read ({sync.FilesRestarted} from the start again), {sync.FilesMissing} gone since the last sync (their records are kept).");
        console.MarkupLineInterpolated($"Read {Output.Format.Count(sync.BytesRead)} bytes and {Output.Format.Count(sync.RecordsRead)} usage lines in {sync.Elapsed.TotalMilliseconds:N0} ms; {sync.Problems} new problems; {sync.Repriced} records re-priced.");
        return ExitCodes.Ok;
    }
}
