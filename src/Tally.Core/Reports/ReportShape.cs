
namespace Tally.Core.Reports;

/// <summary>The names a report's rows carry in JSON and CSV: ccusage's where ccusage has the same report.</summary>
public static class ReportShape
{
    /// <summary>The JSON array holding the rows (<c>daily</c>, <c>weekly</c>, <c>monthly</c>, <c>sessions</c>, …).</summary>
    public static string ArrayName(ReportKind kind) => kind switch
    {
        ReportKind.Daily => "daily",
        ReportKind.Weekly => "weekly",
        ReportKind.Monthly => "monthly",
        ReportKind.Session => "sessions",
        ReportKind.Projects => "projects",
        _ => "models",
    };

    /// <summary>The field holding a row's key (<c>date</c>, <c>week</c>, <c>month</c>, <c>sessionId</c>, …).</summary>
    public static string KeyName(ReportKind kind) => kind switch
    {
        ReportKind.Daily => "date",
        ReportKind.Weekly => "week",
        ReportKind.Monthly => "month",
        ReportKind.Session => "sessionId",
        ReportKind.Projects => "project",
        _ => "model",
    };

    /// <summary>The heading of the key column in tables.</summary>
    public static string KeyHeading(ReportKind kind) => kind switch
    {
        ReportKind.Daily => "Date",
        ReportKind.Weekly => "Week",
        ReportKind.Monthly => "Month",
        ReportKind.Session => "Session",
        ReportKind.Projects => "Project",
        _ => "Model",
    };

    /// <summary>Where a row's cost came from: <c>calculated</c> (the catalog), <c>reported</c> (the source's own figure) or <c>mixed</c>.</summary>
    public static string CostSource(UsageTotals totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        return totals.ReportedCostRequests == 0 ? "calculated" : totals.ReportedCostRequests == totals.Requests ? "reported" : "mixed";
    }
}
