using System.CommandLine;
using Tally.Cli.App;
using Tally.Core.Billing;

namespace Tally.Cli.Commands;

/// <summary>
/// A view of the Admin API data <c>tally admin sync</c> stored: <c>tally admin costs</c>, <c>usage</c> and
/// <c>claude-code</c> differ only in their rows' dimensions and the Core view that builds them.
/// </summary>
internal sealed class AdminViewCommand : Command
{
    private readonly AdminViewOptions _view = new();
    private readonly Option<string?> _by;
    private readonly IReadOnlyList<string> _dimensions;
    private readonly Func<IBilledStore, BilledViewRequest, CancellationToken, Task<BilledView>> _build;
    private readonly TallyContext _context;

    private AdminViewCommand(TallyContext context, string name, string description, string byDescription, IReadOnlyList<string> dimensions,
        Func<IBilledStore, BilledViewRequest, CancellationToken, Task<BilledView>> build)
        : base(name, description)
    {
        _context = context;
        _by = new("--by") { Description = byDescription };
        _dimensions = dimensions;
        _build = build;
        _view.AddTo(this);
        Options.Add(_by);
        SetAction(RunAsync);
    }

    /// <summary><c>tally admin costs</c>: billed dollars by day, workspace, model, description or token type, per segment.</summary>
    public static AdminViewCommand Costs(TallyContext context) => new(
        context,
        "costs",
        "Billed dollars from the Admin API's cost report, segmented into API, Claude Code and Console use",
        "Rows by day (default), workspace, model, description, token-type or segment",
        BilledCostsView.Dimensions,
        BilledCostsView.BuildAsync);

    /// <summary><c>tally admin usage</c>: tokens from the Admin API's usage report, by day, model, workspace, API key or segment.</summary>
    public static AdminViewCommand Usage(TallyContext context) => new(
        context,
        "usage",
        "Tokens from the Admin API's usage report, segmented into API, Claude Code and Console (Workbench) use",
        "Rows by day (default), model, workspace, api-key or segment",
        BilledUsageView.Dimensions,
        BilledUsageView.BuildAsync);

    /// <summary><c>tally admin claude-code</c>: the Admin API's Claude Code analytics per user (or per day).</summary>
    public static AdminViewCommand ClaudeCode(TallyContext context) => new(
        context,
        "claude-code",
        "Claude Code analytics per user from the Admin API: sessions, lines, commits, pull requests, tool accept rate, estimated cost",
        "Rows by user (default) or day",
        ClaudeCodeView.Dimensions,
        ClaudeCodeView.BuildAsync);

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var environment = _context.Environment;
        await using var run = await TallyRun.OpenAsync(_context.Global.Read(result) with { NoSync = true }, environment, cancellationToken);
        var errors = new List<string>();
        var (from, until) = _view.Window(result, environment.Clock, errors);
        var by = AdminViewOptions.By(result.GetValue(_by), _dimensions, errors);
        if (errors.Count > 0)
        {
            return AdminViewOptions.Usage(environment, errors);
        }

        var request = new BilledViewRequest { From = from, Until = until, By = by, ClaudeCodeWorkspaces = run.Config.Admin.ClaudeCodeWorkspaces };
        _view.Print(await _build((IBilledStore)run.Store, request, cancellationToken), result, environment);
        return ExitCodes.Ok;
    }
}
