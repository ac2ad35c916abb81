using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Tally.Core.Export;
using Tally.Core.Reports;

namespace Tally.Cli.Output;

/// <summary>Prints one session in detail: a summary, then a row per agent with its models.</summary>
internal static class SessionDetailWriter
{
    /// <summary>Renders the detail as tables.</summary>
    public static void WriteTable(SessionDetail detail, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(detail);
        ArgumentNullException.ThrowIfNull(console);
        var s = detail.Session;
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]Session[/]", Markup.Escape(s.Key));
        grid.AddRow("[bold]Project[/]", Markup.Escape(s.ProjectPath ?? "(unknown)"));
        grid.AddRow("[bold]Active[/]", Markup.Escape($"{Time(s.Totals.FirstActivity)} → {Time(s.Totals.LastActivity)}"));
        grid.AddRow("[bold]Requests[/]", Format.Count(s.Totals.Requests));
        grid.AddRow("[bold]Tokens[/]", Format.Count(s.Totals.Tokens.Total));
        grid.AddRow("[bold]Cost[/]", Format.Usd(s.Totals.CostUsd));
        console.Write(grid);

        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey).Title("Agents");
        table.AddColumn("Agent").AddColumn("Model").AddColumn(new TableColumn("Requests").RightAligned())
            .AddColumn(new TableColumn("Input").RightAligned()).AddColumn(new TableColumn("Output").RightAligned())
            .AddColumn(new TableColumn("Cache Create").RightAligned()).AddColumn(new TableColumn("Cache Read").RightAligned())
            .AddColumn(new TableColumn("Cost (USD)").RightAligned());
        foreach (var agent in detail.Agents)
        {
            var name = agent.Key == SessionDetail.MainAgent ? "main" : $"subagent {agent.Key}";
            foreach (var (model, i) in agent.Models.Select(static (m, i) => (m, i)))
            {
                var t = model.Totals;
                table.AddRow(i == 0 ? Markup.Escape(name) : string.Empty, Markup.Escape(Format.ShortModel(model.Model)), Format.Count(t.Requests), Format.Count(t.Tokens.Input),
                    Format.Count(t.Tokens.Output), Format.Count(t.Tokens.CacheWrite), Format.Count(t.Tokens.CacheRead), Format.Usd(t.CostUsd));
            }
        }

        console.Write(table);
        console.MarkupLineInterpolated($"[grey]Price catalog {detail.CatalogVersion}.[/]");
    }

    /// <summary>Writes the detail as JSON: <c>{"session": {…}, "agents": [{…}]}</c>.</summary>
    public static void WriteJson(SessionDetail detail, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(detail);
        ArgumentNullException.ThrowIfNull(output);
        JsonOutput.Write(output, json =>
        {
            json.WriteStartObject();
            json.WritePropertyName("session");
            ReportJson.WriteLine(json, ReportKind.Session, detail.Session);
            json.WriteStartArray("agents");
            foreach (var agent in detail.Agents)
            {
                ReportJson.WriteLine(json, ReportKind.Session, agent, keyName: "agentId");
            }

            json.WriteEndArray();
            json.WriteString("catalogVersion", detail.CatalogVersion);
            json.WriteEndObject();
        });
    }

    private static string Time(DateTimeOffset? instant) =>
        instant?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
}
