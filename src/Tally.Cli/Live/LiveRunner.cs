using Spectre.Console;
using Tally.Cli.App;
using Tally.Cli.Commands;
using Tally.Core.Limits;

namespace Tally.Cli.Live;

/// <summary>
/// What <c>tally live</c> and <c>tally blocks --live</c> run: the full-screen monitor on a terminal (Spectre's live
/// display inside the alternate screen, restored on Ctrl-C), or one plain frame when the output is not a terminal or
/// <c>--once</c> is given.
/// </summary>
internal static class LiveRunner
{
    /// <summary>The redraw tick when none is given.</summary>
    public static readonly TimeSpan DefaultRefresh = TimeSpan.FromSeconds(5);

    /// <summary>Runs the monitor; returns the exit code.</summary>
    /// <param name="environment">The outside world.</param>
    /// <param name="global">The global flags (<c>--no-sync</c> skips the sync at start only).</param>
    /// <param name="args">The monitor's own flags.</param>
    /// <param name="cancellationToken">Cancelled by Ctrl-C.</param>
    public static async Task<int> RunAsync(TallyEnvironment environment, GlobalSettings global, LiveArguments args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(args);

        // The monitor syncs itself, after its watcher is in place; the run only opens the index.
        await using var run = await TallyRun.OpenAsync(global with { NoSync = true }, environment, cancellationToken);
        var errors = new List<string>();
        var notes = new List<string>();
        var plans = PlanLoader.Load(run.Paths, errors, create: true, notes);
        var zoneId = args.TimeZone ?? run.Config.TimeZone;
        var zone = zoneId is null ? environment.LocalZone : App.Options.FindZone(zoneId);
        if (zone is null)
        {
            return Fail(environment, $"time zone \"{zoneId}\" is unknown: use an IANA name such as Europe/Paris, America/New_York or UTC.");
        }

        if (plans.Find(args.Plan) is not { } plan)
        {
            return Fail(environment, $"--plan \"{args.Plan}\" is not a plan in {run.Paths.PlansFile} ({string.Join(", ", plans.Plans.Keys.Order(StringComparer.Ordinal))}).");
        }

        if (args.RefreshSeconds is { } seconds and (< 1 or > 3600))
        {
            return Fail(environment, $"--refresh {seconds} is not between 1 and 3600 seconds.");
        }

        foreach (var message in errors)
        {
            environment.Error.MarkupLineInterpolated($"[yellow]warning:[/] {message}");
        }

        foreach (var note in notes)
        {
            environment.Error.MarkupLineInterpolated($"[grey]{note}[/]");
        }

        if (await run.HasNoDataAsync(cancellationToken))
        {
            NoDataMessage.Write(run);
            return ExitCodes.NoData;
        }

        var fullScreen = environment.OutputIsInteractive && !args.Once;
        var config = fullScreen ? run.Config with { Alerts = run.Config.Alerts with { Terminal = false } } : run.Config;
        var budgetErrors = new List<string>();

        // Inside the full-screen view alerts are shown in the frame, not printed over it.
        await using var budgets = BudgetRuntime.Create(environment, config, run.Paths, run.Store, budgetErrors);
        var options = new LiveOptions
        {
            Limits = new LimitsRequest
            {
                Plan = plan,
                Zone = zone,
                ConfiguredWeeklyReset = PlanLoader.WeeklyReset(plans, environment.Clock.GetUtcNow(), zone),
                CostMode = run.Config.CostMode ?? Core.Storage.CostMode.Auto,
            },
            Agents = run.Config.Agents with { ProjectAliases = run.Config.ProjectAliases },
        };
        var builder = new LiveFrameBuilder(run.Store, environment.Clock, options);
        var refresh = args.RefreshSeconds is { } s ? TimeSpan.FromSeconds(s) : DefaultRefresh;
        var monitor = new LiveMonitor(run, budgets, builder, refresh);
        if (!fullScreen)
        {
            var frame = await monitor.OnceAsync(!global.NoSync, cancellationToken);
            environment.Console.Write(LiveRenderer.Render(frame, environment.Clock.GetUtcNow(), live: false));
            return ExitCodes.Ok;
        }

        return await FullScreenAsync(environment.Console, monitor, !global.NoSync, cancellationToken);
    }

    private static async Task<int> FullScreenAsync(IAnsiConsole console, LiveMonitor monitor, bool initialSync, CancellationToken cancellationToken)
    {
        console.Write(new ControlCode("\u001b[?1049h\u001b[H")); // the alternate screen: the user's scrollback is left as it was
        console.Cursor.Hide();
        try
        {
            await console.Live(new Markup("[grey]Tally live: syncing…[/]"))
                .AutoClear(false)
                .Overflow(VerticalOverflow.Ellipsis)
                .Cropping(VerticalOverflowCropping.Bottom)
                .StartAsync(async context => await monitor.RunAsync(initialSync, (frame, now) =>
                {
                    context.UpdateTarget(LiveRenderer.Render(frame, now, live: true));
                    context.Refresh();
                }, null, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: the way out.
        }
        finally
        {
            console.Cursor.Show();
            console.Write(new ControlCode("\u001b[?1049l"));
        }

        return ExitCodes.Ok;
    }

    private static int Fail(TallyEnvironment environment, string message)
    {
        environment.Error.MarkupLineInterpolated($"[red]error:[/] {message}");
        return ExitCodes.Usage;
    }
}
