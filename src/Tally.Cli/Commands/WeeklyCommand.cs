using System.CommandLine;
using Tally.Cli.App;
using Tally.Core.Reports;

namespace Tally.Cli.Commands;

/// <summary><c>tally weekly</c>: usage and cost per week, starting on the day the user chooses.</summary>
internal sealed class WeeklyCommand : ReportCommand
{
    private readonly Option<string?> _startOfWeek = new("--start-of-week", "-w") { Description = "First day of a week: monday (default), sunday, …" };

    /// <summary>Creates the verb.</summary>
    public WeeklyCommand(TallyContext context)
        : base("weekly", "Usage and cost per week", ReportKind.Weekly, context) => Options.Add(_startOfWeek);

    /// <inheritdoc />
    protected override ReportRequest Refine(ReportRequest request, ParseResult result, TallyConfig config, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(errors);
        var text = result.GetValue(_startOfWeek);
        if (text is null)
        {
            return request with { StartOfWeek = config.StartOfWeek ?? DayOfWeek.Monday };
        }

        if (App.Options.ParseDayOfWeek(text) is { } day)
        {
            return request with { StartOfWeek = day };
        }

        errors.Add($"--start-of-week \"{text}\" is not a day of the week.");
        return request;
    }
}
