using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;
using Tally.Core.Agents;
using Tally.Core.Export;
using Tally.Core.Reports;

namespace Tally.Cli.Output;

/// <summary>Prints agent cards: a table for people (a row per agent, a grey row per subagent), or JSON.</summary>
internal static class AgentsWriter
{
    /// <summary>Renders the cards as a table, then what a reader must know: the active window, the range, billing gaps.</summary>
    public static void WriteTable(AgentsReport report, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(console);
        if (report.Cards.Count == 0)
        {
            console.MarkupLineInterpolated($"[grey]No {(report.ActiveOnly ? "active " : string.Empty)}agents in {Range(report)}.[/]");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey).Title("Claude Code agents");
        table.AddColumn("Status").AddColumn("Agent").AddColumn("Task · directory")
            .AddColumn(new TableColumn("Working for").RightAligned()).AddColumn(new TableColumn("Last call").RightAligned())
            .AddColumn(new TableColumn("Messages").RightAligned()).AddColumn(new TableColumn("Tokens").RightAligned())
            .AddColumn(new TableColumn("Cost (USD)").RightAligned()).AddColumn("Billing").AddColumn(new TableColumn("Changes").RightAligned());
        foreach (var card in report.Cards)
        {
            var t = card.Totals;
            table.AddRow(
                Status(card.Status),
                new Markup($"[bold]{Markup.Escape(card.Agent ?? card.ProjectName ?? "(unknown project)")}[/]\n[grey]{Markup.Escape(Second(card))}{Subagents(card)}[/]"),
                new Markup($"{Markup.Escape(card.Label ?? "-")}\n[grey]{Markup.Escape(card.Directory ?? "-")}[/]"),
                new Text(Durations.Short(card.WorkingFor)),
                new Text(Durations.Short(report.Now - card.LastActivity) + " ago"),
                new Text(Format.Count(t.Messages)),
                new Text(Format.Count(t.Tokens.Total)),
                Cost(t),
                Billing(card.Billing),
                Changes(card.Changes));
            foreach (var sub in card.Subagents)
            {
                var f = sub.Figures;
                table.AddRow(
                    new Markup(sub.Status == AgentStatus.Active ? "[green]  └ ●[/]" : "[grey]  └ ○[/]"),
                    new Markup($"[grey]subagent {Markup.Escape(sub.AgentId)}[/]"),
                    Text.Empty,
                    new Markup($"[grey]{Markup.Escape(Durations.Short(f.LastActivity!.Value - f.FirstActivity!.Value))}[/]"),
                    new Markup($"[grey]{Markup.Escape(Durations.Short(report.Now - f.LastActivity!.Value))} ago[/]"),
                    new Markup($"[grey]{Format.Count(f.Messages)}[/]"),
                    new Markup($"[grey]{Format.Count(f.Tokens.Total)}[/]"),
                    new Markup($"[grey]{Markup.Escape(Format.Usd(f.CostUsd))}[/]"),
                    Text.Empty,
                    Text.Empty);
            }
        }

        var totals = report.Totals;
        table.AddEmptyRow();
        table.AddRow(
            new Markup("[bold yellow]Total[/]"),
            new Markup($"[bold yellow]{Plural(report.Cards.Count, "agent")}, {report.Cards.Count(static c => c.Status == AgentStatus.Active)} active[/]"),
            Text.Empty, Text.Empty, Text.Empty,
            new Markup($"[bold yellow]{Format.Count(totals.Messages)}[/]"),
            new Markup($"[bold yellow]{Format.Count(totals.Tokens.Total)}[/]"),
            new Markup($"[bold yellow]{Markup.Escape(Format.Usd(totals.CostUsd))}[/]"),
            Text.Empty, Text.Empty);
        console.Write(table);
        Notes(report, console);
    }

    /// <summary>Writes the cards as JSON (schema in docs/json-schemas.md).</summary>
    public static void WriteJson(AgentsReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        JsonOutput.Write(output, json => AgentsJson.Write(json, report));
    }

    private static void Notes(AgentsReport report, IAnsiConsole console)
    {
        var window = report.Settings.ActiveWindow;
        console.MarkupLineInterpolated($"[grey]Active: a call in the last {Durations.Short(window)} (activeMinutes in config.json, or --active-minutes). Figures cover {Range(report)}.[/]");
        if (report.Cards.Any(static c => c.Billing == BillingSource.Unknown))
        {
            console.MarkupLine(report.Settings.AuthMode is null
                ? "[yellow]Billing source unknown: set \"authMode\" in config.json (subscription, api-key, both or multi-account; see docs/configuration.md).[/]"
                : "[yellow]Billing source unknown for some agents: with \"authMode\": \"both\", name them in \"billingOverrides\" (see docs/configuration.md).[/]");
        }

        var unpriced = report.Cards.Sum(static c => c.Totals.UnpricedCalls);
        if (unpriced > 0)
        {
            console.MarkupLineInterpolated($"[yellow]⚠ {unpriced} call(s) from models with no price are counted as $0 (`tally models` names them).[/]");
        }

        console.MarkupLineInterpolated($"[grey]Costs: mode {report.CostMode.ToString().ToLowerInvariant()}, price catalog {report.CatalogVersion}.[/]");
    }

    private static string Range(AgentsReport report) => (report.From, report.Until) switch
    {
        (null, null) => "all history",
        ({ } from, null) => $"calls since {Local(from, report.Zone)}",
        (null, { } until) => $"calls before {Local(until, report.Zone)}",
        ({ } from, { } until) => $"calls from {Local(from, report.Zone)} to {Local(until, report.Zone)}",
    };

    private static string Local(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + zone.Id;

    private static Markup Status(AgentStatus status) => new(status == AgentStatus.Active ? "[green]● active[/]" : "[grey]○ idle[/]");

    private static string Subagents(AgentCard card) => card.Subagents.Count == 0 ? string.Empty : " · " + Plural(card.Subagents.Count, "subagent");

    private static string Plural(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");

    private static IRenderable Cost(AgentFigures figures) =>
        figures.UnpricedCalls > 0 ? new Markup($"[yellow]{Markup.Escape(Format.Usd(figures.CostUsd))} ⚠[/]") : new Text(Format.Usd(figures.CostUsd));

    private static Markup Billing(BillingSource billing) => billing switch
    {
        BillingSource.Subscription => new Markup("[blue][[Sub]][/]"),
        BillingSource.Api => new Markup("[magenta][[API]][/]"),
        _ => new Markup("[grey][[?]][/]"),
    };

    private static Markup Changes(WorktreeChanges? changes) => changes is { } c
        ? new Markup(string.Create(CultureInfo.InvariantCulture, $"[green]+{c.Added:N0}[/] [red]-{c.Removed:N0}[/]"))
        : new Markup("[grey]-[/]");

    /// <summary>A card's second line: its session (short); for a proxy agent, "proxy" and its project.</summary>
    private static string Second(AgentCard card) => card.Agent is null
        ? ShortId(card.SessionId)
        : "proxy" + (card.ProjectName is { } project ? " · " + project : string.Empty);

    private static string ShortId(string? sessionId) => sessionId is null ? "-" : sessionId.Length > 8 ? sessionId[..8] : sessionId;
}
