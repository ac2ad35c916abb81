using Spectre.Console;
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
        var table = new ReportGrid($"Claude Code usage · {ReportShape.ArrayName(kind)} · {report.Request.Zone.Id}");
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
            table.AddColumn(heading, right: true);
        }

        CellLine[] none = [];
        foreach (var line in report.Lines)
        {
            var models = kind == ReportKind.Models ? [] : new[] { ModelsCell(line) };
            table.AddRow([ReportGrid.Cell(line.Key), .. ExtraCells(kind, line), .. models, .. Figures(line.Totals, compact, CellStyle.None)]);
            if (breakdown && kind != ReportKind.Models)
            {
                foreach (var model in line.Models)
                {
                    var blanks = Enumerable.Repeat(none, extra.Count);
                    table.AddRow([ReportGrid.Cell($"  └ {Format.ShortModel(model.Model)}", CellStyle.Grey), .. blanks, none, .. Figures(model.Totals, compact, CellStyle.Grey)]);
                }
            }
        }

        if (report.Lines.Count > 0)
        {
            table.AddEmptyRow();
            var blanks = Enumerable.Repeat(none, extra.Count + (kind == ReportKind.Models ? 0 : 1));
            table.AddRow([ReportGrid.Cell("Total", CellStyle.BoldYellow), .. blanks, .. Figures(report.Totals, compact, CellStyle.BoldYellow)]);
        }

        table.Write(console);
        Notes(report, console);
    }

    private static List<string> ExtraColumns(ReportKind kind) => kind switch
    {
        ReportKind.Session => ["Project", "Last Activity"],
        ReportKind.Projects => ["Sessions"],
        ReportKind.Models => ["Priced As"],
        _ => [],
    };

    private static IEnumerable<CellLine[]> ExtraCells(ReportKind kind, ReportLine line) => kind switch
    {
        ReportKind.Session =>
        [
            ReportGrid.Cell(line.ProjectPath is null ? string.Empty : ProjectNames.LastFolder(line.ProjectPath)),
            ReportGrid.Cell(line.Totals.LastActivity?.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty),
        ],
        ReportKind.Projects => [ReportGrid.Cell(Format.Count(line.Sessions ?? 0))],
        ReportKind.Models => [line.CatalogModel is null ? ReportGrid.Cell("not priced", CellStyle.Yellow) : ReportGrid.Cell(line.CatalogModel)],
        _ => [],
    };

    private static CellLine[] ModelsCell(ReportLine line) => [.. line.Models.Select(static m =>
        m.Totals.UnpricedRequests > 0 ? new CellLine($"- {Format.ShortModel(m.Model)} ⚠", CellStyle.Yellow) : new CellLine($"- {Format.ShortModel(m.Model)}"))];

    private static IEnumerable<CellLine[]> Figures(UsageTotals totals, bool compact, CellStyle style)
    {
        var t = totals.Tokens;
        var values = compact
            ? new[] { Format.Count(t.Input), Format.Count(t.Output), Format.Usd(totals.CostUsd) }
            : [Format.Count(t.Input), Format.Count(t.Output), Format.Count(t.CacheWrite), Format.Count(t.CacheRead), Format.Count(t.Total), Format.Usd(totals.CostUsd)];
        return values.Select(v => ReportGrid.Cell(v, style));
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
