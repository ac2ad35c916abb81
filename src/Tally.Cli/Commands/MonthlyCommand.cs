using Tally.Core.Reports;

namespace Tally.Cli.Commands;

/// <summary><c>tally monthly</c>: usage and cost per calendar month.</summary>
internal sealed class MonthlyCommand(TallyContext context)
    : ReportCommand("monthly", "Usage and cost per month", ReportKind.Monthly, context);
