using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Tally.Server.Live;

/// <summary>
/// Probes the index for commits made by anyone (this server's sync, a <c>tally</c> command, another server) and
/// publishes each change. The probe is SQLite's data version: no query over the records.
/// </summary>
internal sealed partial class ChangeMonitor(ServerData data, ServerOptions options, IndexChanges changes, ILogger<ChangeMonitor> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long? last = null;
        // Polling runs on the real clock: the injected clock says what "now" is for the data (a test's is fixed).
        using var timer = new PeriodicTimer(options.ChangePollInterval);
        do
        {
            try
            {
                var stamp = await data.Store.ChangeStampAsync(stoppingToken);
                if (last is { } before && before != stamp)
                {
                    changes.Publish(data.Clock.GetUtcNow());
                }

                last = stamp;
            }
            catch (Exception ex) when (ex is SqliteException or IOException or InvalidOperationException)
            {
                ProbeFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The index could not be probed for changes: {Reason}")]
    private static partial void ProbeFailed(ILogger logger, string reason);
}
