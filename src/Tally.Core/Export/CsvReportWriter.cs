using System.Globalization;
using Tally.Core.Reports;

namespace Tally.Core.Export;

/// <summary>
/// Writes a report as RFC 4180 CSV: a header, then one record per row (or, with a breakdown, one per row and
/// model). No totals record, so the file sums cleanly in a spreadsheet.
/// </summary>
public static class CsvReportWriter
{
    private static readonly string[] Figures =
    [
        "inputTokens", "outputTokens", "cacheCreationTokens", "cacheCreation5mTokens", "cacheCreation1hTokens", "cacheReadTokens",
        "totalTokens", "webSearchRequests", "requests", "longContextRequests", "unpricedRequests", "costUSD", "costSource",
    ];

    /// <summary>Writes <paramref name="report"/> to <paramref name="output"/>.</summary>
    public static void Write(Report report, TextWriter output, bool breakdown)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var kind = report.Request.Kind;
        var header = new List<string> { ReportShape.KeyName(kind) };
        if (kind is ReportKind.Session or ReportKind.Projects)
        {
            header.Add("projectPath");
        }

        if (kind != ReportKind.Models)
        {
            header.Add(breakdown ? "model" : "models");
        }

        header.AddRange(Figures);
        Record(output, header);
        foreach (var line in report.Lines)
        {
            var lead = new List<string> { line.Key };
            if (kind is ReportKind.Session or ReportKind.Projects)
            {
                lead.Add(line.ProjectPath ?? string.Empty);
            }

            if (kind == ReportKind.Models)
            {
                Record(output, [.. lead, .. Values(line.Totals)]);
            }
            else if (breakdown)
            {
                foreach (var model in line.Models)
                {
                    Record(output, [.. lead, model.Model, .. Values(model.Totals)]);
                }
            }
            else
            {
                Record(output, [.. lead, string.Join(';', line.Models.Select(static m => m.Model)), .. Values(line.Totals)]);
            }
        }
    }

    private static IEnumerable<string> Values(UsageTotals totals)
    {
        var t = totals.Tokens;
        long[] counts = [t.Input, t.Output, t.CacheWrite, t.CacheWrite5m, t.CacheWrite1h, t.CacheRead, t.Total, totals.WebSearchRequests, totals.Requests, totals.LongContextRequests, totals.UnpricedRequests];
        return counts.Select(static c => c.ToString(CultureInfo.InvariantCulture))
            .Append(totals.CostUsd.ToString(CultureInfo.InvariantCulture))
            .Append(ReportShape.CostSource(totals));
    }

    private static void Record(TextWriter output, IEnumerable<string> fields) =>
        output.Write(string.Join(',', fields.Select(Escape)) + "\r\n");

    private static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
