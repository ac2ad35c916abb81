using System.CommandLine;
using Spectre.Console;
using Tally.Cli.App;
using Tally.Cli.Output;
using Tally.Core.Budgets;

namespace Tally.Cli.Commands;

/// <summary><c>tally alerts</c>: the alert history (budget thresholds, projected overruns, rate-limit hits), oldest first.</summary>
internal sealed class AlertsCommand : Command
{
    private readonly Option<string?> _since = new("--since", "-s") { Description = "First day included: YYYYMMDD or YYYY-MM-DD" };
    private readonly Option<string?> _until = new("--until", "-u") { Description = "Last day included: YYYYMMDD or YYYY-MM-DD" };
    private readonly Option<string?> _timezone = new("--timezone", "-z") { Description = "IANA time zone days and times are in (default: config, else the system's)" };
    private readonly Option<bool> _json = new("--json", "-j") { Description = "JSON on stdout (see docs/json-schemas.md)" };
    private readonly TallyContext _context;

    /// <summary>Creates the verb.</summary>
    public AlertsCommand(TallyContext context)
        : base("alerts", "List the alerts raised (after a sync, which checks the budgets), with where each was delivered")
    {
        _context = context;
        foreach (Option option in new Option[] { _since, _until, _timezone, _json })
        {
            Options.Add(option);
        }

        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var environment = _context.Environment;
        await using var run = await TallyRun.OpenAsync(_context.Global.Read(result), environment, cancellationToken);
        var errors = new List<string>();
        var zoneId = result.GetValue(_timezone) ?? run.Config.TimeZone;
        var zone = zoneId is null ? environment.LocalZone : App.Options.FindZone(zoneId);
        if (zone is null)
        {
            errors.Add($"time zone \"{zoneId}\" is unknown: use an IANA name such as Europe/Paris, America/New_York or UTC.");
        }

        var since = Day(result.GetValue(_since), "--since", errors);
        var until = Day(result.GetValue(_until), "--until", errors);
        if (since > until)
        {
            errors.Add($"--since {since:yyyy-MM-dd} is after --until {until:yyyy-MM-dd}.");
        }

        if (errors.Count > 0 || zone is null)
        {
            foreach (var error in errors)
            {
                environment.Error.MarkupLineInterpolated($"[red]error:[/] {error}");
            }

            return ExitCodes.Usage;
        }

        var from = since is { } first ? LocalCalendar.StartOf(first, zone) : (DateTimeOffset?)null;
        var to = until is { } last ? LocalCalendar.StartOf(last.AddDays(1), zone) : (DateTimeOffset?)null;
        var alerts = await run.Store.AlertsAsync(from, to, cancellationToken);
        if (result.GetValue(_json))
        {
            AlertWriter.WriteJson(alerts, zone, environment.Out);
        }
        else
        {
            AlertWriter.WriteTable(alerts, zone, environment.Console);
        }

        return ExitCodes.Ok;
    }

    private static DateOnly? Day(string? text, string flag, List<string> errors)
    {
        if (text is null)
        {
            return null;
        }

        var day = App.Options.ParseDay(text);
        if (day is null)
        {
            errors.Add($"{flag} \"{text}\" is not a date: use YYYYMMDD or YYYY-MM-DD.");
        }

        return day;
    }
}
