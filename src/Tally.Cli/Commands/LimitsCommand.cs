using System.CommandLine;
using Spectre.Console;
using Tally.Cli.App;
using Tally.Cli.Output;
using Tally.Core.Limits;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally limits</c>: plan usage now — the 5-hour, weekly and model windows' utilisation, time to reset, projected
/// time to the limit, messages today and Opus messages, each figure with the signal it came from.
/// </summary>
internal sealed class LimitsCommand : Command
{
    private readonly TallyContext _context;
    private readonly Option<string?> _plan = new("--plan") { Description = "The plan whose estimates apply (pro, max5, max20, team, custom, or one of your own in plans.json)" };
    private readonly Option<string?> _timezone = new("--timezone", "-z") { Description = "IANA time zone \"today\" and reset times are shown in (default: config, else the system's)" };
    private readonly Option<bool> _json = new("--json", "-j") { Description = "JSON on stdout (see docs/json-schemas.md)" };

    /// <summary>Creates the verb.</summary>
    public LimitsCommand(TallyContext context)
        : base("limits", "Plan usage now: 5-hour and weekly windows, time to reset, time to the limit, messages today, each figure with its source")
    {
        _context = context;
        Options.Add(_plan);
        Options.Add(_timezone);
        Options.Add(_json);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var environment = _context.Environment;
        await using var run = await TallyRun.OpenAsync(_context.Global.Read(result), environment, cancellationToken);
        var errors = new List<string>();
        var notes = new List<string>();
        var settings = PlanLoader.Load(run.Paths, errors, create: true, notes);
        var zoneId = result.GetValue(_timezone) ?? run.Config.TimeZone;
        var zone = zoneId is null ? environment.LocalZone : App.Options.FindZone(zoneId);
        if (zone is null)
        {
            return Fail(environment, $"time zone \"{zoneId}\" is unknown: use an IANA name such as Europe/Paris, America/New_York or UTC.");
        }

        var planName = result.GetValue(_plan);
        if (settings.Find(planName) is not { } plan)
        {
            return Fail(environment, $"--plan \"{planName}\" is not a plan in {run.Paths.PlansFile} ({string.Join(", ", settings.Plans.Keys.Order(StringComparer.Ordinal))}).");
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

        var now = environment.Clock.GetUtcNow();
        var report = await new PlanUsage(new UsageWindows(run.Store, environment.Clock)).ReportAsync(new LimitsRequest
        {
            Plan = plan,
            Zone = zone,
            ConfiguredWeeklyReset = PlanLoader.WeeklyReset(settings, now, zone),
            CostMode = run.Config.CostMode ?? Core.Storage.CostMode.Auto,
        }, cancellationToken);

        if (result.GetValue(_json))
        {
            LimitsJsonWriter.Write(report, zone, run.Paths.PlansFile, run.Catalog.Version, environment.Out);
        }
        else
        {
            LimitsTableWriter.Write(report, zone, run.Paths.PlansFile, environment.Console);
        }

        return ExitCodes.Ok;
    }

    private static int Fail(TallyEnvironment environment, string message)
    {
        environment.Error.MarkupLineInterpolated($"[red]error:[/] {message}");
        return ExitCodes.Usage;
    }
}
