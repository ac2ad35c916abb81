using System.CommandLine;
using Spectre.Console;
using Tally.Cli.App;
using Tally.Cli.Output;
using Tally.Core.Agents;
using Tally.Core.Reports;
using Tally.Core.Storage;
using Tally.Ingest.Git;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally agents</c>: a card per agent (a Claude Code session with its subagents, in its working directory): task,
/// status, working-for time, messages, tokens, cost, billing source and the working tree's current changes.
/// </summary>
internal sealed class AgentsCommand : Command
{
    /// <summary>The range shown when neither <c>--since</c> nor <c>--until</c> is given.</summary>
    public static readonly TimeSpan DefaultRange = TimeSpan.FromHours(24);

    private readonly ReportOptions _filters = new();
    private readonly Option<bool> _active = new("--active", "-a") { Description = "Only agents active now (a call within the active window)" };
    private readonly Option<double?> _activeMinutes = new("--active-minutes") { Description = "The active window in minutes (default: activeMinutes in config.json, else 5)" };
    private readonly Option<bool> _noChanges = new("--no-changes") { Description = "Do not run git to read the working trees' uncommitted changes" };
    private readonly TallyContext _context;

    /// <summary>Creates the verb.</summary>
    public AgentsCommand(TallyContext context)
        : base("agents", "A card per agent (session and subagents): task, status, working time, messages, tokens, cost, billing, changes")
    {
        _context = context;
        _filters.AddFiltersTo(this);
        Options.Add(_filters.Json);
        Options.Add(_active);
        Options.Add(_activeMinutes);
        Options.Add(_noChanges);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var environment = _context.Environment;
        await using var run = await TallyRun.OpenAsync(_context.Global.Read(result), environment, cancellationToken);
        var errors = new List<string>();
        var request = _filters.Read(result, ReportKind.Session, run.Config, environment, errors);
        var settings = run.Config.Agents with { ProjectAliases = run.Config.ProjectAliases };
        if (result.GetValue(_activeMinutes) is { } minutes)
        {
            if (minutes is > 0 and <= 24 * 60)
            {
                settings = settings with { ActiveWindow = TimeSpan.FromMinutes(minutes) };
            }
            else
            {
                errors.Add($"--active-minutes {minutes} is not between 0 and 1440.");
            }
        }

        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                environment.Error.MarkupLineInterpolated($"[red]error:[/] {error}");
            }

            return ExitCodes.Usage;
        }

        if (await run.HasNoDataAsync(cancellationToken))
        {
            NoDataMessage.Write(run);
            return ExitCodes.NoData;
        }

        var now = environment.Clock.GetUtcNow();
        var from = request.From ?? (request.To is null ? now - DefaultRange : null);
        var query = new UsageQuery
        {
            From = from,
            Until = request.To,
            CostMode = request.CostMode,
            Models = request.Models is null ? null : await Filters.ModelsAsync(run.Store, request.Models, cancellationToken),
            Projects = request.Projects is null ? null : await Filters.ProjectsAsync(run.Store, request.Projects, request.ProjectAliases, cancellationToken),
        };
        var board = new AgentBoard(run.Store, settings, environment.Clock, result.GetValue(_noChanges) ? null : new GitWorktreeChanges());
        var cards = await board.BuildAsync(query, cancellationToken);
        var activeOnly = result.GetValue(_active);
        var report = new AgentsReport
        {
            Cards = activeOnly ? [.. cards.Where(static c => c.Status == AgentStatus.Active)] : cards,
            Settings = settings,
            Now = now,
            From = from,
            Until = request.To,
            Zone = request.Zone,
            CostMode = request.CostMode,
            CatalogVersion = run.Catalog.Version,
            ActiveOnly = activeOnly,
        };
        if (result.GetValue(_filters.Json))
        {
            AgentsWriter.WriteJson(report, environment.Out);
        }
        else
        {
            AgentsWriter.WriteTable(report, environment.Console);
        }

        return ExitCodes.Ok;
    }
}
