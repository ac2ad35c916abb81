using System.CommandLine;
using Tally.Cli.App;
using Tally.Core.Billing;

namespace Tally.Cli.Commands;

/// <summary><c>tally admin claude-code</c>: the Admin API's Claude Code analytics per user (or per day).</summary>
internal sealed class AdminClaudeCodeCommand : Command
{
    private readonly AdminViewOptions _view = new();
    private readonly Option<string?> _by = new("--by") { Description = "Rows by user (default) or day" };
    private readonly TallyContext _context;

    /// <summary>Creates the verb.</summary>
    public AdminClaudeCodeCommand(TallyContext context)
        : base("claude-code", "Claude Code analytics per user from the Admin API: sessions, lines, commits, pull requests, tool accept rate, estimated cost")
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
        var by = AdminViewOptions.By(result.GetValue(_by), ClaudeCodeView.Dimensions, errors);
        if (errors.Count > 0)
        {
            return AdminViewOptions.Usage(environment, errors);
        }

        var request = new BilledViewRequest { From = from, Until = until, By = by, ClaudeCodeWorkspaces = run.Config.Admin.ClaudeCodeWorkspaces };
        _view.Print(await ClaudeCodeView.BuildAsync((IBilledStore)run.Store, request, cancellationToken), result, environment);
        return ExitCodes.Ok;
    }
}
