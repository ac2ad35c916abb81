namespace Tally.Bench.Reports;

/// <summary>One row of a report (a day, week, month, session, project or model) in ccusage's shape.</summary>
internal sealed record ReportRow(string Key, Tokens4 Tokens, long TotalTokens, decimal Cost, IReadOnlyList<ModelRow> Models);
