using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using Tally.Cli.Output;
using Tally.Core.Agents;
using Tally.Core.Alerts;
using Tally.Core.Limits;

namespace Tally.Cli.Live;

/// <summary>
/// Draws a <see cref="LiveFrame"/> at a given moment: the windows with their sources, burn rate, projection and time to
/// the limit, the agent rows and the latest alerts. Countdowns and agent statuses are worked out from the moment
/// drawn, so the redraw tick needs no query.
/// </summary>
internal static class LiveRenderer
{
    /// <summary>The frame as it reads at <paramref name="now"/>.</summary>
    /// <param name="frame">The figures.</param>
    /// <param name="now">The moment drawn.</param>
    /// <param name="live">True inside the full-screen view (adds the Ctrl-C hint).</param>
    public static IRenderable Render(LiveFrame frame, DateTimeOffset now, bool live)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var zone = frame.Zone;
        var parts = new List<IRenderable>
        {
            new Markup($"[bold]Tally live[/] · plan [bold]{Markup.Escape(frame.Plan)}[/] [grey](limits are estimates unless a signal says otherwise)[/] · {Markup.Escape(TimeText.Local(now, zone))} {Markup.Escape(zone.Id)}"),
        };
        if (frame.Blocked)
        {
            var until = frame.BlockedUntil is { } u ? $"until {TimeText.Near(u, now, zone)} (in {TimeText.Duration(u - now)})" : "until an unknown time";
            parts.Add(new Markup($"[bold red]⛔ Claude Code is blocked by its limit {Markup.Escape(until)}: no headroom.[/]"));
        }

        parts.Add(Windows(frame, now));
        parts.Add(Rate(frame, now));
        parts.Add(Agents(frame, now));
        parts.Add(Alerts(frame, now));
        var sync = frame.LastSync is { } s
            ? $"last sync {TimeText.Near(s.At, now, zone)} ({(s.Full ? "full" : "changed files")}: {Plural(s.FilesRead, "file")} read, {Plural(s.RecordsRead, "usage line")})"
            : "not synced (--no-sync)";
        parts.Add(new Markup($"[grey]{Markup.Escape(sync)}{(live ? " · updates when a transcript grows · Ctrl-C to exit" : string.Empty)}[/]"));
        return new Rows(parts);
    }

    private static Table Windows(LiveFrame frame, DateTimeOffset now)
    {
        var table = new Table().Expand().Border(TableBorder.Rounded).BorderColor(Color.Grey).Title("[bold]Windows[/]");
        table.AddColumn("Window").AddColumn("Started").AddColumn("Resets").AddColumn(new TableColumn("Cost").RightAligned())
            .AddColumn(new TableColumn("Tokens").RightAligned()).AddColumn("Utilisation");
        foreach (var w in new[] { frame.FiveHour, frame.Weekly })
        {
            table.AddRow(
                new Text(w.Kind == WindowKind.FiveHour ? "5-hour" : "weekly"),
                w.Start is { } start ? Sourced(TimeText.Near(start, now, frame.Zone), w.ResetSource) : Grey("none open"),
                w.ResetsAt is { } reset ? Sourced($"{TimeText.Near(reset, now, frame.Zone)} (in {TimeText.Duration(reset - now)})", w.ResetSource) : Grey("unknown"),
                Sourced(Format.Usd(w.Used.CostUsd), Provenance.Index),
                new Text(Format.Count(w.Used.Tokens.Total)),
                Utilisation(w));
        }

        return table;
    }

    private static Rows Rate(LiveFrame frame, DateTimeOffset now)
    {
        var five = frame.FiveHour;
        var lines = new List<IRenderable>();
        lines.Add(frame.BurnRate is { } rate
            ? new Markup($"Burn rate: [bold]{Markup.Escape(Format.Usd(rate.CostPerHour))}/h[/], {Format.Count((long)rate.TokensPerMinute)} tokens/min [grey][[index: active block]][/]")
            : new Markup("Burn rate: [grey]none (no active block, or one call only)[/]"));
        lines.Add(frame.Projection is { } p
            ? new Markup($"At the window's end: [bold]{Markup.Escape(Format.Usd(p.TotalCost))}[/], {Format.Count(p.TotalTokens)} tokens [grey][[projection at the current burn rate]][/]")
            : new Markup("At the window's end: [grey]no projection (no burn rate or no open window)[/]"));
        lines.Add(new Markup("Time to limit: " + TimeToLimit(five, now, frame.Zone)));
        return new Rows(lines);
    }

    private static string TimeToLimit(WindowStatus five, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (five.Blocked)
        {
            return "[bold red]reached[/]";
        }

        if (five.LimitUsd is null && five.Utilisation is null)
        {
            return "[grey]unknown (the 5-hour limit is not known: pick a plan in plans.json, or let Tally learn it from limit hits and the status line)[/]";
        }

        if (five.ProjectedLimitAt is not { } at)
        {
            return "[grey]unknown (no burn rate to project, or the limit is not known)[/]";
        }

        return five.LimitBeforeReset
            ? $"[yellow]{Markup.Escape(TimeText.Near(at, now, zone))} (in {Markup.Escape(TimeText.Duration(at - now))})[/] [grey][[estimate from {Markup.Escape(five.LimitSource.Label())} limit]][/]"
            : $"not before the reset [grey][[estimate from {Markup.Escape(five.LimitSource.Label())} limit]][/]";
    }

    private static Table Agents(LiveFrame frame, DateTimeOffset now)
    {
        var table = new Table().Expand().Border(TableBorder.Rounded).BorderColor(Color.Grey).Title("[bold]Agents[/] [grey](last 24 hours)[/]");
        table.AddColumn("Status").AddColumn("Agent").AddColumn("Working for").AddColumn("Last call")
            .AddColumn(new TableColumn("Cost").RightAligned()).AddColumn("Billing");
        foreach (var card in frame.Agents)
        {
            var active = now - card.LastActivity <= frame.ActiveWindow;
            var name = card.Agent ?? card.Label ?? card.ProjectName ?? (card.SessionId is { } id ? id[..Math.Min(8, id.Length)] : "-");
            var subagents = card.Subagents.Count == 0 ? string.Empty : $" · {Plural(card.Subagents.Count, "subagent")}";
            table.AddRow(
                new Markup(active ? "[green]● active[/]" : "[grey]○ idle[/]"),
                new Markup($"{Markup.Escape(name)}[grey]{Markup.Escape(subagents)}[/]"),
                new Text(Durations.Short(card.WorkingFor)),
                new Text(TimeText.Near(card.LastActivity, now, frame.Zone)),
                new Text(Format.Usd(card.Totals.CostUsd)),
                card.Billing switch
                {
                    BillingSource.Subscription => new Markup("[blue][[Sub]][/]"),
                    BillingSource.Api => new Markup("[magenta][[API]][/]"),
                    _ => new Markup("[grey][[?]][/]"),
                });
        }

        if (frame.Agents.Count == 0)
        {
            table.AddRow(Grey("none"), Text.Empty, Text.Empty, Text.Empty, Text.Empty, Text.Empty);
        }

        if (frame.MoreAgents > 0)
        {
            table.AddRow(Text.Empty, Grey($"and {Plural(frame.MoreAgents, "more agent")} (tally agents lists them all)"), Text.Empty, Text.Empty, Text.Empty, Text.Empty);
        }

        return table;
    }

    private static Table Alerts(LiveFrame frame, DateTimeOffset now)
    {
        var table = new Table().Expand().Border(TableBorder.Rounded).BorderColor(Color.Grey).Title("[bold]Alerts[/] [grey](last 24 hours, newest first)[/]");
        table.AddColumn("Raised").AddColumn("Alert");
        foreach (var alert in frame.Alerts)
        {
            var urgent = alert.Kind == AlertKind.RateLimit || alert.Threshold >= 100m;
            table.AddRow(new Text(TimeText.Near(alert.RaisedAt, now, frame.Zone)), new Markup($"[{(urgent ? "red" : "yellow")}]{Markup.Escape(alert.Message)}[/]"));
        }

        if (frame.Alerts.Count == 0)
        {
            table.AddRow(Grey("none"), Text.Empty);
        }

        return table;
    }

    private static Markup Utilisation(WindowStatus w)
    {
        if (w.Blocked)
        {
            return new Markup($"[bold red]BLOCKED[/] [grey][[{w.UtilisationSource.Label()}]][/]");
        }

        if (w.Utilisation is not { } u)
        {
            return Grey("unknown");
        }

        var colour = u >= 90m ? "red" : u >= 70m ? "yellow" : "green";
        return new Markup($"[{colour}]{Markup.Escape(TimeText.Percent(u))}[/] [grey][[{w.UtilisationSource.Label()}]][/]");
    }

    private static Markup Sourced(string text, Provenance source) => new($"{Markup.Escape(text)} [grey][[{source.Label()}]][/]");

    private static Markup Grey(string text) => new($"[grey]{Markup.Escape(text)}[/]");

    private static string Plural(long count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{Format.Count(count)} {noun}{(count == 1 ? string.Empty : "s")}");
}
