using System.Threading.Channels;
using Tally.Cli.Live;
using Tally.Cli.Tests.Snapshots;
using Tally.Core.Agents;
using Tally.Core.Alerts;
using Tally.Core.Limits;

namespace Tally.Cli.Tests.Live;

public class LiveTests
{
    [Fact]
    public async Task The_frame_holds_the_window_burn_rate_projection_agents_and_alerts_at_the_injected_time()
    {
        using var world = new LiveWorld();
        using var console = world.Cli.NewConsole();
        using var error = world.Cli.NewConsole();
        var (run, budgets, builder) = await world.OpenAsync(console, error);
        await using (run)
        {
            var frame = await new LiveMonitor(run, budgets, builder, TimeSpan.FromHours(1)).OnceAsync(initialSync: true, CancellationToken.None);

            Assert.Equal(LiveWorld.Now, frame.BuiltAt);
            var five = frame.FiveHour;
            Assert.Equal((LiveWorld.Now.AddMinutes(-75), LiveWorld.Now.AddMinutes(-75).AddHours(5), Provenance.Estimate), (five.Start, five.ResetsAt, five.ResetSource));
            Assert.Equal((3L, 9000L, 0.099m), (five.Used.Calls, five.Used.Tokens.Total, five.Used.CostUsd));

            // Three calls over 73 minutes: $0.099 * 60 / 73 an hour; 225 minutes left at that rate.
            Assert.Equal(0.099m * 60m / 73m, frame.BurnRate!.CostPerHour);
            Assert.Equal(new Projection(36740, 0.40m, 225), frame.Projection);
            Assert.NotNull(five.LimitUsd);
            Assert.NotNull(five.ProjectedLimitAt);
            Assert.Equal(WindowKind.Weekly, frame.Weekly.Kind);
            Assert.Equal(0.099m, frame.Weekly.Used.CostUsd);

            var agent = Assert.Single(frame.Agents);
            Assert.Equal((LiveWorld.Session, AgentStatus.Active, TimeSpan.FromMinutes(73), 0.099m), (agent.SessionId, agent.Status, agent.WorkingFor, agent.Totals.CostUsd));

            // The daily budget of $0.05 is past 100%: its alerts are in the store's history, newest first.
            Assert.NotEmpty(frame.Alerts);
            Assert.All(frame.Alerts, static a => Assert.NotEqual(AlertKind.RateLimit, a.Kind));
            Assert.Contains(frame.Alerts, static a => a.Threshold == 100m);
            Assert.Equal(frame.Alerts.OrderByDescending(static a => a.RaisedAt).ThenByDescending(static a => a.Id), frame.Alerts);
            Assert.True(frame.LastSync!.Full);
            Assert.Equal(3, frame.LastSync.RecordsRead);
        }
    }

    [Fact]
    public async Task Live_once_prints_one_plain_frame()
    {
        using var world = new LiveWorld();
        var result = await world.Cli.RunAsync("live", "--once", "--plan", "max5", "-z", "UTC");
        Assert.Equal(0, result.ExitCode);
        Snapshot.Match(world.Cli.Scrub(result.Console));
    }

    [Theory]
    [InlineData("live")]
    [InlineData("blocks", "--live")]
    public async Task Off_a_terminal_the_monitor_prints_one_frame_and_exits(params string[] args)
    {
        using var world = new LiveWorld();
        var result = await world.Cli.RunAsync([.. args, "--plan", "max5"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Tally live", result.Console, StringComparison.Ordinal);
        Assert.Contains("feature/live", result.Console, StringComparison.Ordinal);
        Assert.DoesNotContain("Ctrl-C", result.Console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_refresh_is_a_usage_error()
    {
        using var world = new LiveWorld();
        var result = await world.Cli.RunAsync("live", "--refresh", "0");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--refresh 0 is not between 1 and 3600 seconds", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transcript_growing_brings_a_frame_with_the_new_call_and_cancelling_ends_the_loop()
    {
        using var world = new LiveWorld();
        using var console = world.Cli.NewConsole();
        using var error = world.Cli.NewConsole();
        var (run, budgets, builder) = await world.OpenAsync(console, error);
        await using (run)
        {
            var frames = Channel.CreateUnbounded<LiveFrame>();

            // A tick of an hour: only the watcher can bring a second frame within the test.
            var monitor = new LiveMonitor(run, budgets, builder, TimeSpan.FromHours(1));
            using var stop = new CancellationTokenSource();
            var loop = Task.Run(() => monitor.RunAsync(initialSync: true, (frame, _) => frames.Writer.TryWrite(frame), null, stop.Token));
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                var first = await frames.Reader.ReadAsync(limit.Token);
                Assert.Equal(3, first.FiveHour.Used.Calls);

                await File.AppendAllTextAsync(world.TranscriptPath, LiveWorld.Call("msg_live_4", LiveWorld.Now.AddMinutes(-1)) + "\n", limit.Token);
                LiveFrame next;
                do
                {
                    next = await frames.Reader.ReadAsync(limit.Token);
                }
                while (next.FiveHour.Used.Calls == 3);

                Assert.Equal((4L, 0.132m), (next.FiveHour.Used.Calls, next.FiveHour.Used.CostUsd));
                Assert.False(next.LastSync!.Full);
                Assert.Equal((1, 1L), (next.LastSync.FilesRead, next.LastSync.RecordsRead));
            }
            finally
            {
                await stop.CancelAsync();
            }

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.True(loop.IsCanceled);
        }
    }
}
