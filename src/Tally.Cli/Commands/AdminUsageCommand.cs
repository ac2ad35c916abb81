using System.CommandLine;
using Tally.Cli.App;
using Tally.Core.Billing;

namespace Tally.Cli.Commands;

/// <summary><c>tally admin usage</c>: tokens from the Admin API's usage report, by day, model, workspace, API key or segment.</summary>
internal sealed class AdminUsageCommand : Command
{
    private readonly AdminViewOptions _view = new();
    private readonly Option<string?> _by = new("--by") { Description = "Rows by day (default), model, workspace, api-key or segment" };
    private readonly TallyContext _context;

    /// <summary>Creates the verb.</summary>
    public AdminUsageCommand(TallyContext context)
        : base("usage", "Tokens from the Admin API's usage report, segmented into API, Claude Code and Console (Workbench) use")
    {
        _context = context;
        _view.AddTo(this);
        Options.Add(_by);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var environment = _context.Environment;
        await using var run = await TallyRun.OpenAsync(_context.Global.Read(result) with { NoSync = true }, environment, cancellationToken);
        var errors = new List<string>();
        var (from, until) = _view.Window(result, environment.Clock, errors);
        var by = AdminViewOptions.By(result.GetValue(_by), BilledUsageView.Dimensions, errors);
        if (errors.Count > 0)
        {
            return AdminViewOptions.Usage(environment, errors);
        }

        var request = new BilledViewRequest { From = from, Until = until, By = by, ClaudeCodeWorkspaces = run.Config.Admin.ClaudeCodeWorkspaces };
        _view.Print(await BilledUsageView.BuildAsync((IBilledStore)run.Store, request, cancellationToken), result, environment);
        return ExitCodes.Ok;
    }
}
