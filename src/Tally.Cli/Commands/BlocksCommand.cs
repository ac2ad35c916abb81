using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Tally.Cli.App;
using Tally.Cli.Live;
using Tally.Cli.Output;
using Tally.Cli.Reports;
using Tally.Core.Limits;
using Tally.Core.Reports;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally blocks</c>: usage in ccusage's 5-hour blocks (its flags and JSON shape), placed by observed signals where
/// there are any, with the weekly windows beside them.
/// </summary>
internal sealed class BlocksCommand : Command
{
    /// <summary>How far back <c>--recent</c> looks (ccusage's 3 days).</summary>
    private static readonly TimeSpan Recent = TimeSpan.FromDays(3);

    private readonly TallyContext _context;
    private readonly ReportOptions _report = new();
    private readonly Option<bool> _active = new("--active", "-a") { Description = "Only the active block, with its burn rate and projection" };
    private readonly Option<bool> _recent = new("--recent", "-r") { Description = "Only blocks of the last 3 days (and the active one)" };
    private readonly Option<string?> _tokenLimit = new("--token-limit", "-t") { Description = "Tokens a block may use, for the % column and the projection's status: a number, or max (the largest completed block)" };
    private readonly Option<bool> _live = new("--live", "-l") { Description = "The full-screen live monitor (as tally live): windows, burn rate, time to the limit, agents and alerts, updated as transcripts grow" };
    private readonly LiveFlags _liveFlags = new();
    private readonly Option<string?> _sessionLength = new("--session-length", "-n") { Description = "Block length in hours (default 5; windows from observed signals apply to 5-hour blocks only)" };

    /// <summary>Creates the verb.</summary>
    public BlocksCommand(TallyContext context)
        : base("blocks", "Usage in 5-hour blocks (ccusage's), placed by observed limit signals where known, with the weekly windows")
    {
        _context = context;
        _report.AddTo(this);
        foreach (Option option in new Option[] { _active, _recent, _tokenLimit, _sessionLength, _live })
        {
            Options.Add(option);
        }

        _liveFlags.AddTo(this, includeTimezone: false);

        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var environment = _context.Environment;
        if (result.GetValue(_live))
        {
            return await LiveRunner.RunAsync(environment, _context.Global.Read(result), _liveFlags.Read(result, result.GetValue(_report.Timezone)), cancellationToken);
        }

        await using var run = await TallyRun.OpenAsync(_context.Global.Read(result), environment, cancellationToken);
        var errors = new List<string>();
        var request = _report.Read(result, ReportKind.Daily, run.Config, environment, errors);
        if (result.GetValue(_report.Csv))
        {
            errors.Add("blocks has no CSV output; use --json.");
        }

        var length = SessionLength(result.GetValue(_sessionLength), errors);
        var tokenLimitText = result.GetValue(_tokenLimit)?.Trim();
        long? fixedLimit = null;
        if (tokenLimitText is not null && !string.Equals(tokenLimitText, "max", StringComparison.OrdinalIgnoreCase))
        {
            fixedLimit = long.TryParse(tokenLimitText, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
            if (fixedLimit is null)
            {
                errors.Add($"--token-limit \"{tokenLimitText}\" is not a positive number of tokens or max.");
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

        var windows = new UsageWindows(run.Store, environment.Clock);
        var now = environment.Clock.GetUtcNow();
        var blocks = await windows.BlocksAsync(new BlockRequest
        {
            From = request.From,
            Until = request.To,
            Length = length,
            CostMode = request.CostMode,
            Models = request.Models is null ? null : await Filters.ModelsAsync(run.Store, request.Models, cancellationToken),
            Projects = request.Projects is null ? null : await Filters.ProjectsAsync(run.Store, request.Projects, request.ProjectAliases, cancellationToken),
        }, cancellationToken);

        // As ccusage: "max" is the largest completed block of everything read, before --recent and --active filter.
        var largest = blocks.Where(static b => !b.IsGap && !b.IsActive).Select(static b => b.Totals.Tokens.Total).DefaultIfEmpty(0).Max();
        long? tokenLimit = tokenLimitText is null ? null : fixedLimit ?? (largest > 0 ? largest : null);
        var shown = blocks.AsEnumerable();
        var activeOnly = result.GetValue(_active);
        if (result.GetValue(_recent))
        {
            shown = shown.Where(b => b.Start >= now - Recent || b.IsActive);
        }

        if (activeOnly)
        {
            shown = shown.Where(static b => b.IsActive);
        }

        var list = shown.ToList();
        if (request.Descending == true)
        {
            list.Reverse();
        }

        var (weeks, families) = await WeeksAsync(run, windows, list, activeOnly, request, now, cancellationToken);
        var view = new BlocksView
        {
            Request = request,
            Blocks = list,
            Length = length,
            TokenLimit = tokenLimit,
            TokenLimitText = tokenLimitText,
            Weeks = weeks,
            ModelFamilies = families,
            ActiveOnly = activeOnly,
            Now = now,
            CatalogVersion = run.Catalog.Version,
            Problems = await run.Store.CountProblemsAsync(cancellationToken),
        };

        if (result.GetValue(_report.Json))
        {
            BlocksJsonWriter.Write(view, environment.Out);
        }
        else
        {
            if (tokenLimitText is not null && tokenLimit is null)
            {
                environment.Error.MarkupLine("[yellow]--token-limit max: no completed block to take the largest of; no limit applied.[/]");
            }

            BlocksTableWriter.Write(view, environment.Console, result.GetValue(_report.Breakdown));
        }

        return ExitCodes.Ok;
    }

    /// <summary>The weeks over the blocks shown, when a signal or plans.json says when a week resets.</summary>
    private static async Task<(IReadOnlyList<UsageWindow> Weeks, IReadOnlyList<string> Families)> WeeksAsync(TallyRun run, UsageWindows windows, List<UsageBlock> blocks, bool activeOnly, ReportRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var signals = await windows.SignalsAsync(null, cancellationToken);
        var plans = PlanLoader.Load(run.Paths, [], create: false);
        var families = (plans.Find()?.ModelWeeklyCostUsd.Keys ?? [])
            .Concat(signals.Where(static s => s.Window == WindowKind.Model && s.Model is not null).Select(static s => s.Model!))
            .Select(static f => f.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var (anchor, source) = WindowAnchor.Weekly(signals) is { } observed
            ? (observed, observed.Kind is { } kind ? ProvenanceNames.Of(kind) : Provenance.Plan)
            : (PlanLoader.WeeklyReset(plans, now, request.Zone), Provenance.Plan);
        if (anchor is null)
        {
            return ([], families);
        }

        var from = activeOnly || blocks.Count == 0 ? now : blocks.Min(static b => b.Start);
        var weeks = await windows.WeeksAsync(anchor, source, from, null, request.CostMode, cancellationToken);
        if (request.To is { } until)
        {
            weeks = [.. weeks.Where(w => w.Start < until)];
        }

        return (request.Descending == true ? [.. weeks.Reverse()] : weeks, families);
    }

    private static TimeSpan SessionLength(string? text, List<string> errors)
    {
        if (text is null)
        {
            return UsageWindows.FiveHours;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var hours) && hours is > 0 and <= 24 * 7)
        {
            return TimeSpan.FromMilliseconds(Math.Round(hours * 3_600_000));
        }

        errors.Add($"--session-length \"{text}\" is not a number of hours between 0 and 168 (e.g. 5 or 2.5).");
        return UsageWindows.FiveHours;
    }
}
