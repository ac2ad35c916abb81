using System.CommandLine;
using System.Globalization;
using Tally.Cli.App;
using Tally.Cli.Output;
using Tally.Core.Billing;
using Tally.Core.Storage;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally reconcile</c>: per UTC day and model, what this machine's records say against the Admin API's tokens and
/// billed dollars, each gap with its likely cause; exit code 4 when a gap exceeds the tolerance.
/// </summary>
internal sealed class ReconcileCommand : Command
{
    private readonly Option<string?> _since = new("--since", "-s") { Description = "First UTC day: YYYYMMDD or YYYY-MM-DD (default: 7 days before --until)" };
    private readonly Option<string?> _until = new("--until", "-u") { Description = "Last UTC day (default: yesterday, UTC: today's bill is still filling)" };
    private readonly Option<decimal?> _tolerance = new("--tolerance", "-t") { Description = "The largest gap accepted, in percent of the larger figure (default 1; a dollar gap under $0.01 is always accepted)" };
    private readonly Option<bool> _json = new("--json", "-j") { Description = "JSON on stdout (see docs/json-schemas.md)" };
    private readonly Option<bool> _csv = new("--csv") { Description = "CSV on stdout" };
    private readonly TallyContext _context;

    /// <summary>Creates the verb.</summary>
    public ReconcileCommand(TallyContext context)
        : base("reconcile", "Compare local records with the Admin API's tokens and billed dollars per day and model; exit 4 when a gap exceeds --tolerance")
    {
        _context = context;
        foreach (Option option in new Option[] { _since, _until, _tolerance, _json, _csv })
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
        var today = DateOnly.FromDateTime(environment.Clock.GetUtcNow().UtcDateTime);
        var until = AdminViewOptions.Day(result.GetValue(_until), "--until", errors);
        var (first, last) = Reconciliation.Window(AdminViewOptions.Day(result.GetValue(_since), "--since", errors), until, today);
        var tolerance = result.GetValue(_tolerance) ?? Reconciliation.DefaultTolerance;
        if (first > last)
        {
            errors.Add($"--since {first:yyyy-MM-dd} is after --until {last:yyyy-MM-dd}.");
        }

        if (tolerance is < 0m or > 100m)
        {
            errors.Add($"--tolerance {tolerance.ToString(CultureInfo.InvariantCulture)} must be a percentage between 0 and 100.");
        }

        if (result.GetValue(_json) && result.GetValue(_csv))
        {
            errors.Add("--json and --csv cannot be used together.");
        }

        if (errors.Count > 0)
        {
            return AdminViewOptions.Usage(environment, errors);
        }

        var (view, gaps) = await Reconciliation.BuildAsync(run.Store, (IBilledStore)run.Store, first, last, tolerance, run.Config.CostMode ?? CostMode.Auto, run.Config.Admin.ClaudeCodeWorkspaces, cancellationToken);
        BilledTable.Print(view, result.GetValue(_json), result.GetValue(_csv), environment);
        return gaps > 0 ? ExitCodes.Gap : ExitCodes.Ok;
    }
}
