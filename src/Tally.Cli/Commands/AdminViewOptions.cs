using System.CommandLine;
using Spectre.Console;
using Tally.Cli.App;
using Tally.Cli.Output;
using Tally.Core.Billing;

namespace Tally.Cli.Commands;

/// <summary>The flags every billed view takes: a range of UTC days (the Admin API's days) and the output format.</summary>
internal sealed class AdminViewOptions
{
    /// <summary><c>--since</c>.</summary>
    public Option<string?> Since { get; } = new("--since", "-s") { Description = $"First UTC day: YYYYMMDD or YYYY-MM-DD (default: {BilledViewRequest.DefaultDays} days before --until)" };

    /// <summary><c>--until</c>.</summary>
    public Option<string?> Until { get; } = new("--until", "-u") { Description = "Last UTC day (default: today, UTC)" };

    /// <summary><c>--json</c>.</summary>
    public Option<bool> Json { get; } = new("--json", "-j") { Description = "JSON on stdout (see docs/json-schemas.md)" };

    /// <summary><c>--csv</c>.</summary>
    public Option<bool> Csv { get; } = new("--csv") { Description = "CSV on stdout" };

    /// <summary>Adds the flags to a command.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Since, Until, Json, Csv })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The days [from, until) the flags select; errors go to <paramref name="errors"/>.</summary>
    public (DateOnly From, DateOnly Until) Window(ParseResult result, TimeProvider clock, List<string> errors)
    {
        var last = Day(result.GetValue(Until), "--until", errors);
        var first = Day(result.GetValue(Since), "--since", errors);
        var (since, until) = BilledViewRequest.Window(first, last, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        if (since >= until)
        {
            errors.Add($"--since {since:yyyy-MM-dd} is after --until {until.AddDays(-1):yyyy-MM-dd}.");
        }

        if (result.GetValue(Json) && result.GetValue(Csv))
        {
            errors.Add("--json and --csv cannot be used together.");
        }

        return (since, until);
    }

    /// <summary>Prints <paramref name="view"/> in the format the flags ask for.</summary>
    public void Print(BilledView view, ParseResult result, TallyEnvironment environment) =>
        BilledTable.Print(view, result.GetValue(Json), result.GetValue(Csv), environment);

    /// <summary>A day flag's value, or null when not given.</summary>
    public static DateOnly? Day(string? text, string flag, List<string> errors)
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

    /// <summary>Reports flag errors together, on standard error.</summary>
    public static int Usage(TallyEnvironment environment, IEnumerable<string> errors)
    {
        foreach (var error in errors)
        {
            environment.Error.MarkupLineInterpolated($"[red]error:[/] {error}");
        }

        return ExitCodes.Usage;
    }

    /// <summary>Parses a <c>--by</c> value against <paramref name="allowed"/>.</summary>
    public static string By(string? text, IReadOnlyList<string> allowed, List<string> errors)
    {
        var by = text?.Trim().ToLowerInvariant() ?? allowed[0];
        if (!allowed.Contains(by))
        {
            errors.Add($"--by \"{text}\" is not one of {string.Join(", ", allowed)}.");
            return allowed[0];
        }

        return by;
    }
}
