using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Tally.Core.Alerts;
using Tally.Core.Budgets;
using Tally.Core.Export;

namespace Tally.Cli.Output;

/// <summary>Prints budgets and where they stand.</summary>
internal static class BudgetWriter
{
    /// <summary>A budget in words: <c>$20.00 per day, alerts at 50%, 80%, 100%, at the limit: pause</c>.</summary>
    public static string Describe(Budget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return $"{Covers(budget)}, {BudgetFormat.Limit(budget)}, alerts at {Thresholds(budget)}, at the limit: {BudgetText.Of(budget.Action)}";
    }

    /// <summary>A table: one row per budget, or per subject of a budget that limits each session, project or agent.</summary>
    public static void WriteTable(IReadOnlyList<Budget> budgets, IReadOnlyList<BudgetStatus> statuses, TimeZoneInfo zone, DateTimeOffset now, string file, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        ArgumentNullException.ThrowIfNull(statuses);
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(console);
        if (budgets.Count == 0)
        {
            console.MarkupLine("No budgets yet. [bold]tally budget set daily --scope day --limit 20[/] adds one (see docs/user-guide.md, Budgets).");
            console.MarkupLineInterpolated($"[grey]Budgets: {file}[/]");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey).Title("Budgets");
        table.AddColumn("Budget").AddColumn("Covers").AddColumn("Limit").AddColumn(new TableColumn("Used").RightAligned())
            .AddColumn(new TableColumn("%").RightAligned()).AddColumn("Window").AddColumn("At this rate").AddColumn("Alerts at").AddColumn("At the limit");
        foreach (var budget in budgets)
        {
            var mine = statuses.Where(s => ReferenceEquals(s.Budget, budget)).ToList();
            if (mine.Count == 0)
            {
                table.AddRow(Markup.Escape(budget.Name), Markup.Escape(Covers(budget) + " (none active)"), Markup.Escape(BudgetFormat.Limit(budget)), "-", "-", "-", "-", Markup.Escape(Thresholds(budget)), BudgetText.Of(budget.Action));
                continue;
            }

            foreach (var status in mine)
            {
                var covers = status.Subject is null ? Covers(budget) : BudgetFormat.Subject(budget.Scope, status.Subject, status.SubjectLabel);
                var percent = status.Percent is { } p ? Colour(p, BudgetFormat.Percent(p)) : "-";
                var action = status.ActionDue is { } due ? $"[red]{BudgetText.Of(due)} (due)[/]" : BudgetText.Of(budget.Action);
                table.AddRow(
                    Markup.Escape(budget.Name),
                    Markup.Escape(covers),
                    Markup.Escape(BudgetFormat.Limit(budget)),
                    status.Used is { } used ? Markup.Escape(BudgetFormat.Amount(used, budget.Unit)) : "[grey]unknown[/]",
                    percent,
                    Markup.Escape(Window(status, zone, now)),
                    status.ProjectedAt is { } at ? $"[yellow]limit at {Markup.Escape(BudgetFormat.Time(at, now, zone))}[/]" : "-",
                    Markup.Escape(Thresholds(budget)),
                    action);
            }
        }

        console.Write(table);
        foreach (var note in statuses.Where(static s => s.Used is null && s.Note is not null))
        {
            console.MarkupLineInterpolated($"[grey]{note.Budget.Name}: {note.Note}.[/]");
        }

        console.MarkupLineInterpolated($"[grey]Budgets: {file}. Days and months in {zone.Id}; the rate is the last hour's. Actions are recorded; the metering proxy enforces pause and stop.[/]");
    }

    /// <summary>JSON (<see cref="BudgetsJson"/>).</summary>
    public static void WriteJson(IReadOnlyList<Budget> budgets, IReadOnlyList<BudgetStatus> statuses, TimeZoneInfo zone, string file, TextWriter output) =>
        JsonOutput.Write(output, json => BudgetsJson.Write(json, budgets, statuses, zone, file));

    private static string Covers(Budget budget) => budget.Scope switch
    {
        BudgetScope.Day => "all usage, per day",
        BudgetScope.Month => "all usage, per month",
        BudgetScope.Plan => "the plan",
        _ when budget.Target is { } target => $"{BudgetText.Of(budget.Scope)} {target}",
        _ => $"each {BudgetText.Of(budget.Scope)}",
    };

    private static string Thresholds(Budget budget) => string.Join(", ", budget.Thresholds.Select(BudgetFormat.Percent));

    private static string Window(BudgetStatus status, TimeZoneInfo zone, DateTimeOffset now) => status.Budget.Period switch
    {
        BudgetPeriod.Day => LocalCalendar.DayOf(status.Window.Start, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        BudgetPeriod.Month => LocalCalendar.DayOf(status.Window.Start, zone).ToString("yyyy-MM", CultureInfo.InvariantCulture),
        BudgetPeriod.Total => "whole session",
        _ => status.Window.End is { } end ? "resets " + BudgetFormat.Time(end, now, zone) : "-",
    };

    private static string Colour(decimal percent, string text) =>
        percent >= 100m ? $"[red]{text}[/]" : percent >= 80m ? $"[yellow]{text}[/]" : text;
}
