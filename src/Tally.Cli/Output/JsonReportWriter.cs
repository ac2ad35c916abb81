using Tally.Core.Export;
using Tally.Core.Reports;

namespace Tally.Cli.Output;

/// <summary>
/// Prints a report as JSON on a text stream: <see cref="ReportJson"/>'s shape (ccusage's plus Tally's fields, documented
/// in <c>docs/json-schemas.md</c>) through <see cref="JsonOutput"/>, indented as every document Tally prints.
/// </summary>
internal static class JsonReportWriter
{
    /// <summary>The version of Tally's additions to the shape.</summary>
    public const int SchemaVersion = ReportJson.SchemaVersion;

    /// <summary>Writes <paramref name="report"/> to <paramref name="output"/>.</summary>
    public static void Write(Report report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        JsonOutput.Write(output, json => ReportJson.Write(json, report));
    }

    /// <summary>Writes the report as JSON Lines: one row object per line (the same objects as the report's array), no totals.</summary>
    public static void WriteLines(Report report, TextWriter output) => ReportJson.WriteLines(report, output);
}
