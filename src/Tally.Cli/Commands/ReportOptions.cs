using System.CommandLine;
using Tally.Cli.App;
using Tally.Core.Reports;
using Tally.Core.Storage;

namespace Tally.Cli.Commands;

/// <summary>The flags every report takes (ccusage's names, so its users feel at home).</summary>
internal sealed class ReportOptions
{
    /// <summary><c>--since</c>.</summary>
    public Option<string?> Since { get; } = new("--since", "-s") { Description = "First day included: YYYYMMDD or YYYY-MM-DD" };

    /// <summary><c>--until</c>.</summary>
    public Option<string?> Until { get; } = new("--until", "-u") { Description = "Last day included: YYYYMMDD or YYYY-MM-DD" };

    /// <summary><c>--timezone</c>.</summary>
    public Option<string?> Timezone { get; } = new("--timezone", "-z") { Description = "IANA time zone days are cut in (default: config, else the system's)" };

    /// <summary><c>--project</c>.</summary>
    public Option<string[]> Project { get; } = new("--project", "-p") { Description = "Only these projects: path, folder name or alias (repeat or comma-separate)" };

    /// <summary><c>--model</c>.</summary>
    public Option<string[]> Model { get; } = new("--model", "-m") { Description = "Only these models: id or part of one, e.g. opus (repeat or comma-separate)" };

    /// <summary><c>--breakdown</c>.</summary>
    public Option<bool> Breakdown { get; } = new("--breakdown", "-b") { Description = "A row per model under each row" };

    /// <summary><c>--order</c>.</summary>
    public Option<string?> Order { get; } = new("--order", "-o") { Description = "asc or desc (default: oldest first; cost reports dearest first)" };

    /// <summary><c>--mode</c>.</summary>
    public Option<string?> Mode { get; } = new("--mode") { Description = "auto (a line's own costUSD when it has one), calculate (always the catalog) or display (only costUSD)" };

    /// <summary><c>--json</c>.</summary>
    public Option<bool> Json { get; } = new("--json", "-j") { Description = "JSON on stdout (ccusage's shape plus Tally's fields; see docs/json-schemas.md)" };

    /// <summary><c>--csv</c>.</summary>
    public Option<bool> Csv { get; } = new("--csv") { Description = "CSV on stdout" };

    /// <summary><c>--compact</c>.</summary>
    public Option<bool> Compact { get; } = new("--compact") { Description = "Fewer columns, for narrow terminals" };

    /// <summary>Adds the flags to a command.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (Option option in new Option[] { Since, Until, Timezone, Project, Model, Breakdown, Order, Mode, Json, Csv, Compact })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Adds only the filter flags (range, time zone, project, model, cost mode): for verbs that print no report
    /// table. <see cref="Read"/> sees the flags not added as not given.</summary>
    public void AddFiltersTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (Option option in new Option[] { Since, Until, Timezone, Project, Model, Mode })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The request the flags describe, with the configuration's defaults; every bad value goes to <paramref name="errors"/>.</summary>
    public ReportRequest Read(ParseResult result, ReportKind kind, TallyConfig config, TallyEnvironment environment, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(errors);
        var since = Day(result.GetValue(Since), "--since", errors);
        var until = Day(result.GetValue(Until), "--until", errors);
        if (since > until)
        {
            errors.Add($"--since {since:yyyy-MM-dd} is after --until {until:yyyy-MM-dd}.");
        }

        if (result.GetValue(Json) && result.GetValue(Csv))
        {
            errors.Add("--json and --csv cannot be used together.");
        }

        return new ReportRequest
        {
            Kind = kind,
            Zone = Zone(result.GetValue(Timezone) ?? config.TimeZone, environment, errors),
            Since = since,
            Until = until,
            Projects = App.Options.List(result.GetValue(Project)),
            Models = App.Options.List(result.GetValue(Model)),
            CostMode = CostMode(result.GetValue(Mode), config, errors),
            Descending = Descending(result.GetValue(Order), errors),
            ProjectAliases = config.ProjectAliases,
        };
    }

    private static DateOnly? Day(string? text, string flag, List<string> errors)
    {
        if (text is null)
        {
            return null;
        }

        var day = App.Options.ParseDay(text);
        if (day is null)
        {
            errors.Add($"{flag} \"{text}\" is not a date: use YYYYMMDD or YYYY-MM-DD.");
        }

        return day;
    }

    private static TimeZoneInfo Zone(string? id, TallyEnvironment environment, List<string> errors)
    {
        if (id is null)
        {
            return environment.LocalZone;
        }

        var zone = App.Options.FindZone(id);
        if (zone is null)
        {
            errors.Add($"time zone \"{id}\" is unknown: use an IANA name such as Europe/Paris, America/New_York or UTC.");
        }

        return zone ?? environment.LocalZone;
    }

    private static CostMode CostMode(string? text, TallyConfig config, List<string> errors)
    {
        if (text is null)
        {
            return config.CostMode ?? Core.Storage.CostMode.Auto;
        }

        var mode = App.Options.ParseCostMode(text);
        if (mode is null)
        {
            errors.Add($"--mode \"{text}\" is not one of auto, calculate, display.");
        }

        return mode ?? Core.Storage.CostMode.Auto;
    }

    private static bool? Descending(string? text, List<string> errors) => text?.Trim().ToLowerInvariant() switch
    {
        null => null,
        "asc" => false,
        "desc" => true,
        _ => Invalid(errors, $"--order \"{text}\" is not asc or desc."),
    };

    private static bool? Invalid(List<string> errors, string message)
    {
        errors.Add(message);
        return null;
    }
}
