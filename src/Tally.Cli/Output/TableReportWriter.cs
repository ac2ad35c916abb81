using Spectre.Console;
using Spectre.Console.Rendering;
using Tally.Core.Reports;

namespace Tally.Cli.Output;

/// <summary>
/// Renders a report as a table for people (ccusage's columns, so its users feel at home), followed by the warnings a
/// reader must not miss: unpriced models, long-context pricing, where the prices came from.
/// </summary>
internal static class TableReportWriter
{
    /// <summary>Renders <paramref name="report"/> on <paramref name="console"/>.</summary>
    public static void Write(Report report, IAnsiConsole console, bool breakdown, bool compact)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(console);
        var kind = report.Request.Kind;
        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey)
            .Title($"Claude Code usage · {ReportShape.ArrayName(kind)} · {Markup.Escape(report.Request.Zone.Id)}");
        var extra = ExtraColumns(kind);
        table.AddColumn(ReportShape.KeyHeading(kind));
        foreach (var column in extra)
        {
            table.AddColumn(column);
        }

        if (kind != ReportKind.Models)
        {
            table.AddColumn("Models");
        }

        foreach (var heading in compact ? ["Input", "Output", "Cost (USD)"] : new[] { "Input", "Output", "Cache Create", "Cache Read", "Total Tokens", "Cost (USD)" })
        {
            table.AddColumn(new TableColumn(heading).RightAligned());
        }

        foreach (var line in report.Lines)
        {
            var models = kind == ReportKind.Models ? [] : new[] { ModelsCell(line) };
            table.AddRow([new Markup(Markup.Escape(line.Key)), .. ExtraCells(kind, line), .. models, .. Figures(line.Totals, compact, style: null)]);
            if (breakdown && kind != ReportKind.Models)
            {
                foreach (var model in line.Models)
                {
                    var blanks = Enumerable.Repeat<IRenderable>(Text.Empty, extra.Count);
                    table.AddRow([new Markup($"[grey]  └ {Markup.Escape(Format.ShortModel(model.Model))}[/]"), .. blanks, Text.Empty, .. Figures(model.Totals, compact, "grey")]);
                }
            }
        }

        if (report.Lines.Count > 0)
        {
            table.AddEmptyRow();
            var blanks = Enumerable.Repeat<IRenderable>(Text.Empty, extra.Count + (kind == ReportKind.Models ? 0 : 1));
            table.AddRow([new Markup("[bold yellow]Total[/]"), .. blanks, .. Figures(report.Totals, compact, "bold yellow")]);
        }

        console.Write(table);
        Notes(report, console);
    }

    private static List<string> ExtraColumns(ReportKind kind) => kind switch
    {
        ReportKind.Session => ["Project", "Last Activity"],
        ReportKind.Projects => ["Sessions"],
        ReportKind.Models => ["Priced As"],
        _ => [],
    };

    private static IEnumerable<IRenderable> ExtraCells(ReportKind kind, ReportLine line) => kind switch
    {
        ReportKind.Session =>
        [
            new Text(line.ProjectPath is null ? string.Empty : ProjectNames.LastFolder(line.ProjectPath)),
            new Text(line.Totals.LastActivity?.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty),
        ],
        ReportKind.Projects => [new Text(Format.Count(line.Sessions ?? 0))],
        ReportKind.Models => [line.CatalogModel is null ? new Markup("[yellow]not priced[/]") : new Text(line.CatalogModel)],
        _ => [],
    };

    private static Markup ModelsCell(ReportLine line) => new(string.Join('\n', line.Models.Select(static m =>
        m.Totals.UnpricedRequests > 0 ? $"[yellow]- {Markup.Escape(Format.ShortModel(m.Model))} ⚠[/]" : $"- {Markup.Escape(Format.ShortModel(m.Model))}")));

    private static IEnumerable<IRenderable> Figures(UsageTotals totals, bool compact, string? style)
    {
        var t = totals.Tokens;
        var values = compact
            ? new[] { Format.Count(t.Input), Format.Count(t.Output), Format.Usd(totals.CostUsd) }
            : [Format.Count(t.Input), Format.Count(t.Output), Format.Count(t.CacheWrite), Format.Count(t.CacheRead), Format.Count(t.Total), Format.Usd(totals.CostUsd)];
        return values.Select(v => (IRenderable)new Markup(style is null ? v : $"[{style}]{Markup.Escape(v)}[/]"));
    }

    private static void Notes(Report report, IAnsiConsole console)
    {
        if (report.Lines.Count == 0)
        {
            console.MarkupLine("[grey]No usage in this range.[/]");
        }

        if (report.UnpricedModels.Count > 0)
        {
            console.MarkupLineInterpolated($"[yellow]⚠ No price for {string.Join(", ", report.UnpricedModels)}: their cost is counted as $0. Add a price in prices.json (see `tally prices --help`).[/]");
        }

        if (report.Totals.LongContextRequests > 0)
        {
            console.MarkupLineInterpolated($"[grey]{Format.Count(report.Totals.LongContextRequests)} request(s) over 200k prompt tokens priced at the long-context rate for the whole request, as Anthropic bills them.[/]");
        }

        console.MarkupLineInterpolated($"[grey]Costs: mode {report.Request.CostMode.ToString().ToLowerInvariant()}, price catalog {report.CatalogVersion}.[/]");
    }
}
