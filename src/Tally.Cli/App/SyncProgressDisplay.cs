using Spectre.Console;
using Tally.Ingest.Sync;

namespace Tally.Cli.App;

/// <summary>Shows a progress bar on standard error when a sync takes longer than a second, and nothing otherwise.</summary>
internal static class SyncProgressDisplay
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(1);

    /// <summary>Runs <paramref name="sync"/>, drawing its progress once it has taken more than a second.</summary>
    public static async Task<SyncReport> RunAsync(TallyEnvironment environment, Func<IProgress<SyncProgress>, Task<SyncReport>> sync)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(sync);
        var latest = new LatestProgress();
        var task = Task.Run(() => sync(latest));
        if (!environment.ErrorIsInteractive || await Task.WhenAny(task, Task.Delay(Patience)) == task)
        {
            return await task;
        }

        await environment.Error.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask("Indexing transcripts");
                while (!task.IsCompleted)
                {
                    var (done, total) = latest.Read();
                    bar.MaxValue = Math.Max(1, total);
                    bar.Value = done;
                    await Task.WhenAny(task, Task.Delay(100));
                }

                bar.Value = bar.MaxValue;
            });
        return await task;
    }

    private sealed class LatestProgress : IProgress<SyncProgress>
    {
        private long _done;
        private long _total;

        public void Report(SyncProgress value)
        {
            Interlocked.Exchange(ref _total, value.BytesTotal);
            Interlocked.Exchange(ref _done, value.BytesDone);
        }

        public (long Done, long Total) Read() => (Interlocked.Read(ref _done), Interlocked.Read(ref _total));
    }
}
