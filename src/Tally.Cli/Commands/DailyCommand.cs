using Tally.Core.Reports;

namespace Tally.Cli.Commands;

/// <summary><c>tally daily</c> (the default): usage and cost per day.</summary>
internal sealed class DailyCommand(TallyContext context)
    : ReportCommand("daily", "Usage and cost per day (the default report)", ReportKind.Daily, context);
