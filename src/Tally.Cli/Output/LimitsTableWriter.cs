using Spectre.Console;
using Spectre.Console.Rendering;
using Tally.Core.Limits;

namespace Tally.Cli.Output;

/// <summary>Renders <c>tally limits</c> for people: a row per window, every figure followed by its source.</summary>
internal static class LimitsTableWriter
{
    /// <summary>Renders <paramref name="report"/> on <paramref name="console"/>.</summary>
    public static void Write(LimitsReport report, TimeZoneInfo zone, string plansFile, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(console);
        var now = report.Now;
        console.MarkupLineInterpolated($"Plan: [bold]{report.Plan.Label ?? report.Plan.Name}[/] [grey](limits are estimates: {plansFile}; observed signals win over them)[/]");
        if (report.Blocked)
        {
            var until = report.BlockedUntil is { } u ? $"until {TimeText.Near(u, now, zone)} (in {TimeText.Duration(u - now)})" : "until an unknown time";
            console.MarkupLineInterpolated($"[bold red]⛔ Claude Code is blocked by its {(report.BlockedBy == WindowKind.Weekly ? "weekly" : "5-hour")} limit {until}: no headroom until then.[/]");
        }

        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey);
        table.AddColumn("Window").AddColumn("Used").AddColumn("Limit").AddColumn("Utilisation").AddColumn("Resets").AddColumn("Limit at current rate");
        foreach (var w in report.Windows)
        {
            table.AddRow(
                new Text(Name(w)),
                Cell($"{Format.Usd(w.Used.CostUsd)} · {Format.Count(w.Used.Calls)} msgs" + (w.OpusMessages > 0 && w.Kind != WindowKind.Model ? $" ({Format.Count(w.OpusMessages)} Opus)" : string.Empty), Provenance.Index),
                w.LimitUsd is { } limit
                    ? Cell(Format.Usd(limit) + (w.LimitSamples > 0 ? $" ({w.LimitSamples} sample{(w.LimitSamples == 1 ? string.Empty : "s")})" : string.Empty), w.LimitSource)
                    : new Markup("[grey]unknown[/]"),
                Utilisation(w),
                w.ResetsAt is { } reset
                    ? Cell($"{TimeText.Near(reset, now, zone)} (in {TimeText.Duration(reset - now)})", w.ResetSource)
                    : new Markup("[grey]unknown[/]"),
                Projection(w, now, zone));
        }

        console.Write(table);
        console.MarkupLineInterpolated($"Today: {Format.Count(report.Today.Calls)} messages ({Format.Count(report.OpusMessagesToday)} Opus), {Format.Usd(report.Today.CostUsd)} [grey][[index]][/]");
        if (report.BurnRate is { } rate && report.ActiveBlock is { } active)
        {
            console.MarkupLineInterpolated($"Burn rate: {Format.Usd(rate.CostPerHour)}/h, {Format.Count((long)rate.TokensPerMinute)} tokens/min [grey][[index: active block since {TimeText.Near(active.Start, now, zone)}]][/]");
        }

        foreach (var note in report.Windows.SelectMany(static w => w.Notes.Select(n => (w, n))).DistinctBy(static x => x.n))
        {
            console.MarkupLineInterpolated($"[grey]{Name(note.w)}: {note.n}[/]");
        }

        console.MarkupLine("[grey]Sources: header (proxy) > status-line (Claude Code's rate_limits) > limit-line (a \"limit reached\" notice) > estimate (plan, history). Local transcripts see only this machine's use; claude.ai and other devices count against the same limits.[/]");
    }

    private static string Name(WindowStatus w) => w.Kind switch
    {
        WindowKind.FiveHour => "5-hour",
        WindowKind.Weekly => "weekly",
        _ => $"weekly {w.Model}",
    };

    private static Markup Cell(string text, Provenance source) => new($"{Markup.Escape(text)} [grey][[{source.Label()}]][/]");

    private static Markup Utilisation(WindowStatus w)
    {
        if (w.Blocked)
        {
            return new Markup($"[bold red]BLOCKED[/] [grey][[{w.UtilisationSource.Label()}]][/]");
        }

        if (w.Utilisation is not { } u)
        {
            return new Markup("[grey]unknown[/]");
        }

        var colour = u >= 90m ? "red" : u >= 70m ? "yellow" : "green";
        var headroom = w.Headroom == 0m ? " · no headroom" : string.Empty;
        var observed = w.ObservedUtilisation is { } seen && w.ObservedAt is { } at && seen != u ? $" (was {TimeText.Percent(seen)} at {at.UtcDateTime:HH:mm}Z)" : string.Empty;
        return new Markup($"[{colour}]{Markup.Escape(TimeText.Percent(u))}[/]{Markup.Escape(headroom + observed)} [grey][[{w.UtilisationSource.Label()}]][/]");
    }

    private static Markup Projection(WindowStatus w, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (w.Blocked)
        {
            return new Markup("[red]reached[/]");
        }

        if (w.ProjectedLimitAt is not { } at)
        {
            return new Markup("[grey]-[/]");
        }

        return w.LimitBeforeReset
            ? new Markup($"[yellow]{Markup.Escape(TimeText.Near(at, now, zone))} (in {Markup.Escape(TimeText.Duration(at - now))})[/] [grey][[estimate]][/]")
            : new Markup("not before the reset [grey][[estimate]][/]");
    }
}
