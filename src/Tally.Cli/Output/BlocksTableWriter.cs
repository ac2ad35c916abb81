using Spectre.Console;
using Spectre.Console.Rendering;
using Tally.Cli.Reports;
using Tally.Core.Limits;

namespace Tally.Cli.Output;

/// <summary>Renders <c>tally blocks</c> for people: ccusage's block table, the active block in detail, then the weeks.</summary>
internal static class BlocksTableWriter
{
    /// <summary>Renders <paramref name="view"/> on <paramref name="console"/>.</summary>
    public static void Write(BlocksView view, IAnsiConsole console, bool breakdown)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(console);
        var zone = view.Request.Zone;
        if (view.Blocks.Count == 0)
        {
            console.MarkupLine(view.ActiveOnly ? "[grey]No active block: the next message starts one.[/]" : "[grey]No usage in this range.[/]");
        }
        else
        {
            var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey)
                .Title($"Claude Code usage · {Hours(view.Length)} blocks · {Markup.Escape(zone.Id)}");
            table.AddColumn("Block Start").AddColumn("Duration / Status").AddColumn("Window").AddColumn("Models")
                .AddColumn(new TableColumn("Entries").RightAligned()).AddColumn(new TableColumn("Tokens").RightAligned());
            if (view.TokenLimit is not null)
            {
                table.AddColumn(new TableColumn("%").RightAligned());
            }

            table.AddColumn(new TableColumn("Cost (USD)").RightAligned());
            foreach (var block in view.Blocks)
            {
                table.AddRow(Row(block, view));
                if (breakdown)
                {
                    foreach (var model in block.Models)
                    {
                        var cells = new List<IRenderable> { Text.Empty, Text.Empty, Text.Empty, new Markup($"[grey]  └ {Markup.Escape(Format.ShortModel(model.Model))}[/]"), Grey(Format.Count(model.Totals.Calls)), Grey(Format.Count(model.Totals.Tokens.Total)) };
                        if (view.TokenLimit is not null)
                        {
                            cells.Add(Text.Empty);
                        }

                        cells.Add(Grey(Format.Usd(model.Totals.CostUsd)));
                        table.AddRow(cells);
                    }
                }
            }

            console.Write(table);
        }

        foreach (var active in view.Blocks.Where(static b => b.IsActive))
        {
            Detail(active, view, console);
        }

        Weeks(view, console);
        console.MarkupLine("[grey]Window: estimate = ccusage's rule (the first message's hour + the block length); limit-line, status-line = placed by an observed signal.[/]");
        if (view.Problems > 0)
        {
            console.MarkupLineInterpolated($"[yellow]⚠ {view.Problems} transcript lines could not be counted; `tally problems` lists them.[/]");
        }
    }

    private static IRenderable[] Row(UsageBlock block, BlocksView view)
    {
        var zone = view.Request.Zone;
        if (block.IsGap)
        {
            var gap = new List<IRenderable> { Grey(TimeText.Local(block.Start, zone)), Grey($"({TimeText.Duration(block.End - block.Start)} gap)"), Text.Empty, Text.Empty, Text.Empty, Text.Empty };
            if (view.TokenLimit is not null)
            {
                gap.Add(Text.Empty);
            }

            gap.Add(Text.Empty);
            return [.. gap];
        }

        var status = block.IsActive
            ? new Markup($"[green]ACTIVE[/] · {TimeText.Duration(block.End - view.Now)} left")
            : new Markup(Markup.Escape(TimeText.Duration((block.ActualEnd ?? block.Start) - block.Start)));
        var source = block.AnchoredBy is { } kind ? ProvenanceNames.Of(kind).Label() : "estimate";
        var models = string.Join('\n', block.Models.Select(static m => (m.Totals.UnpricedCalls > 0 ? "⚠ " : "- ") + Format.ShortModel(m.Model)));
        var cells = new List<IRenderable>
        {
            new Text(TimeText.Local(block.Start, zone)),
            status,
            new Text(source + (block.LimitResetAt is { } reset ? $"\nlimit hit, reset {TimeText.Near(reset, block.Start, zone)}" : string.Empty)),
            new Text(models),
            new Text(Format.Count(block.Totals.Calls)),
            new Text(Format.Count(block.Totals.Tokens.Total)),
        };
        if (view.TokenLimit is { } limit)
        {
            var percent = block.Totals.Tokens.Total * 100m / limit;
            var colour = percent > 100m ? "red" : percent > 80m ? "yellow" : "default";
            cells.Add(new Markup($"[{colour}]{Markup.Escape(TimeText.Percent(percent))}[/]"));
        }

        cells.Add(new Text(Format.Usd(block.Totals.CostUsd)));
        return [.. cells];
    }

    private static void Detail(UsageBlock block, BlocksView view, IAnsiConsole console)
    {
        var zone = view.Request.Zone;
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]Active block[/]", Markup.Escape($"{TimeText.Local(block.Start, zone)} → {TimeText.Local(block.End, zone)} ({(block.AnchoredBy is { } kind ? ProvenanceNames.Of(kind).Label() : "estimate")})"));
        grid.AddRow("[bold]Elapsed / left[/]", Markup.Escape($"{TimeText.Duration(view.Now - block.Start)} / {TimeText.Duration(block.End - view.Now)}"));
        grid.AddRow("[bold]Used[/]", Markup.Escape($"{Format.Count(block.Totals.Tokens.Total)} tokens, {Format.Usd(block.Totals.CostUsd)}, {Format.Count(block.Totals.Calls)} messages"));
        if (block.LimitResetAt is { } reset && reset > view.Now)
        {
            grid.AddRow("[bold red]Limit hit[/]", $"[red]Claude Code is blocked until {Markup.Escape(TimeText.Near(reset, view.Now, zone))}[/] [grey](limit line; `tally limits` has the details)[/]");
        }

        if (block.BurnRate is { } rate)
        {
            grid.AddRow("[bold]Burn rate[/]", Markup.Escape($"{Format.Count((long)rate.TokensPerMinute)} tokens/min ({Format.Count((long)rate.TokensPerMinuteForIndicator)} input+output), {Format.Usd(rate.CostPerHour)}/h"));
        }

        if (block.Projection is { } projection)
        {
            grid.AddRow("[bold]Projected at reset[/]", Markup.Escape($"{Format.Count(projection.TotalTokens)} tokens, {Format.Usd(projection.TotalCost)}"));
            if (view.TokenLimit is { } limit)
            {
                var status = BlocksView.LimitStatus(projection.TotalTokens, limit);
                var colour = status switch { "exceeds" => "red", "warning" => "yellow", _ => "green" };
                grid.AddRow("[bold]Token limit[/]", $"{Format.Count(limit)}{(view.TokenLimitText == "max" ? " (largest past block)" : string.Empty)}: [{colour}]{status}[/] ({Markup.Escape(TimeText.Percent(projection.TotalTokens * 100m / limit))} projected)");
            }
        }

        console.Write(grid);
    }

    private static void Weeks(BlocksView view, IAnsiConsole console)
    {
        if (view.Weeks.Count == 0)
        {
            console.MarkupLine("[grey]Weekly windows: their reset time is not known yet (Claude Code's status line or a weekly limit line tells it; or set \"weeklyReset\" in plans.json).[/]");
            return;
        }

        var zone = view.Request.Zone;
        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey).Title("Weekly windows");
        table.AddColumn("Week").AddColumn("Window").AddColumn(new TableColumn("Entries").RightAligned()).AddColumn(new TableColumn("Tokens").RightAligned()).AddColumn(new TableColumn("Cost (USD)").RightAligned());
        foreach (var family in view.ModelFamilies)
        {
            table.AddColumn(new TableColumn(Capitalised(family)).RightAligned());
        }

        foreach (var week in view.Weeks)
        {
            var cells = new List<IRenderable>
            {
                new Markup($"{Markup.Escape(TimeText.Local(week.Start, zone))} → {Markup.Escape(TimeText.Local(week.End, zone))}{(week.IsActive ? " [green]ACTIVE[/]" : string.Empty)}"),
                new Text(week.Source.Label()),
                new Text(Format.Count(week.Totals.Calls)),
                new Text(Format.Count(week.Totals.Tokens.Total)),
                new Text(Format.Usd(week.Totals.CostUsd)),
            };
            foreach (var family in view.ModelFamilies)
            {
                var share = week.Models.Where(m => m.Model.Contains(family, StringComparison.OrdinalIgnoreCase)).Aggregate(WindowTotals.Empty, static (sum, m) => sum.Add(m.Totals));
                cells.Add(new Text($"{Format.Count(share.Calls)} · {Format.Usd(share.CostUsd)}"));
            }

            table.AddRow(cells);
        }

        console.Write(table);
    }

    private static Markup Grey(string text) => new($"[grey]{Markup.Escape(text)}[/]");

    private static string Capitalised(string family) => family.Length == 0 ? family : char.ToUpperInvariant(family[0]) + family[1..];

    private static string Hours(TimeSpan length) => length.TotalMinutes % 60 == 0
        ? $"{(int)length.TotalHours}-hour"
        : $"{length.TotalHours.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}-hour";
}
