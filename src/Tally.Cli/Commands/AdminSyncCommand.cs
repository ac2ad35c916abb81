using System.CommandLine;
using Spectre.Console;
using Tally.Admin;
using Tally.Cli.App;
using Tally.Core.Billing;

namespace Tally.Cli.Commands;

/// <summary><c>tally admin sync</c>: fetches the Admin API's reports into the index, checking them as it goes.</summary>
internal sealed class AdminSyncCommand : Command
{
    private readonly Option<string?> _since = new("--since", "-s") { Description = "First UTC day to fetch: YYYYMMDD or YYYY-MM-DD (default: from the last sync, less a trailing window; 30 days the first time)" };
    private readonly Option<string?> _until = new("--until", "-u") { Description = "Last UTC day to fetch (default: up to now)" };
    private readonly Option<string?> _keyFile = new("--key-file") { Description = $"A file holding the admin key, readable only by you (default: {AdminAccess.KeyVariable}, else admin.keyFile)" };
    private readonly Option<string?> _baseUrl = new("--base-url") { Description = $"The API's root (default: {AdminAccess.BaseUrlVariable}, else admin.baseUrl, else https://api.anthropic.com)" };
    private readonly Option<bool> _noCheck = new("--no-check") { Description = "Skip the self-check against the ungrouped totals (half the requests; not recommended)" };
    private readonly Option<bool> _noClaudeCode = new("--no-claude-code") { Description = "Skip the Claude Code analytics report (one request per day)" };
    private readonly TallyContext _context;

    /// <summary>Creates the verb.</summary>
    public AdminSyncCommand(TallyContext context)
        : base("sync", "Fetch usage, costs, Claude Code analytics, workspaces and API keys from the Admin API into the index")
    {
        _context = context;
        foreach (Option option in new Option[] { _since, _until, _keyFile, _baseUrl, _noCheck, _noClaudeCode })
        {
            Options.Add(option);
        }

        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var environment = _context.Environment;
        await using var run = await TallyRun.OpenAsync(_context.Global.Read(result) with { NoSync = true }, environment, cancellationToken);
        var errors = new List<string>();
        var since = AdminViewOptions.Day(result.GetValue(_since), "--since", errors);
        var until = AdminViewOptions.Day(result.GetValue(_until), "--until", errors);
        if (since > until)
        {
            errors.Add($"--since {since:yyyy-MM-dd} is after --until {until:yyyy-MM-dd}.");
        }

        var settings = AdminAccess.Settings(result.GetValue(_keyFile), result.GetValue(_baseUrl), run.Config.Admin, environment, errors);
        if (errors.Count > 0 || settings is null)
        {
            foreach (var error in errors)
            {
                environment.Error.MarkupLineInterpolated($"[red]error:[/] {error}");
            }

            return ExitCodes.Usage;
        }

        using var client = new AdminApiClient(settings);
        var sync = new AdminSync((IBilledStore)run.Store, new AdminReports(client), environment.Clock);
        AdminSyncResult outcome;
        try
        {
            outcome = await sync.RunAsync(new AdminSyncRequest { Since = since, Until = until, Check = !result.GetValue(_noCheck), ClaudeCode = !result.GetValue(_noClaudeCode) }, cancellationToken);
        }
        catch (AdminApiException ex)
        {
            environment.Error.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            environment.Error.MarkupLine("[grey]Nothing was stored; the index holds what earlier syncs fetched.[/]");
            return ExitCodes.Failed;
        }

        Report(outcome, environment, client.Requests);
        return outcome.Stored ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static void Report(AdminSyncResult outcome, TallyEnvironment environment, int requests)
    {
        var batch = outcome.Batch;
        var console = environment.Console;
        foreach (var note in outcome.Notes)
        {
            environment.Error.MarkupLineInterpolated($"[yellow]note:[/] {note}");
        }

        if (!outcome.Stored)
        {
            environment.Error.MarkupLine("[red bold]error: self-check failed: the grouped rows do not add up to the organization's totals for the same window.[/]");
            foreach (var failure in outcome.CheckFailures.Take(20))
            {
                environment.Error.MarkupLineInterpolated($"[red]  {failure}[/]");
            }

            if (outcome.CheckFailures.Count > 20)
            {
                environment.Error.MarkupLineInterpolated($"[red]  … and {outcome.CheckFailures.Count - 20} more[/]");
            }

            environment.Error.MarkupLine("Nothing was stored (the index keeps what earlier syncs fetched): summing these rows would count money twice or miss some.");
            environment.Error.MarkupLine("Data that arrived between the two reads can also cause this for the latest hours; run the sync again. If it persists, the API's answer is inconsistent.");
            return;
        }

        if (batch.UsageWindow is { } u)
        {
            console.MarkupLineInterpolated($"Usage: {u.From.UtcDateTime:yyyy-MM-dd HH:mm} → {u.Until.UtcDateTime:yyyy-MM-dd HH:mm} UTC, {Output.Format.Count(batch.Usage.Count)} rows (1-hour buckets by model, workspace, API key, tier, context window).");
        }

        if (batch.CostWindow is { } c)
        {
            console.MarkupLineInterpolated($"Costs: {c.From:yyyy-MM-dd} → {c.Until.AddDays(-1):yyyy-MM-dd} (UTC days), {Output.Format.Count(batch.Costs.Count)} rows, {Output.Format.Usd(batch.Costs.Sum(static r => r.AmountUsd))} billed.");
        }

        if (batch.ClaudeCodeWindow is { } cc)
        {
            console.MarkupLineInterpolated($"Claude Code: {cc.From:yyyy-MM-dd} → {cc.Until.AddDays(-1):yyyy-MM-dd}, {Output.Format.Count(batch.ClaudeCode.Count)} user-days.");
        }

        console.MarkupLineInterpolated($"{batch.Workspaces.Count} workspaces, {batch.ApiKeys.Count} API keys; {outcome.Pages} pages in {requests} requests.");
        console.MarkupLine(outcome.Checked ? "Self-check: the grouped rows add up to the organization's totals." : "[yellow]Self-check skipped (--no-check).[/]");
    }
}
