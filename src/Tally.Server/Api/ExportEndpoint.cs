using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Tally.Core.Export;
using Tally.Core.Reports;
using Tally.Server.Http;

namespace Tally.Server.Api;

/// <summary>
/// <c>GET /api/export</c>: what <c>tally export</c> writes, as a download. Records (one per call) are streamed from the
/// index as they are read, in constant memory whatever their number; reports are small and written whole.
/// </summary>
internal sealed class ExportEndpoint(ServerData data)
{
    /// <summary>What it takes.</summary>
    public static readonly IReadOnlyList<Parameter> Parameters =
    [
        .. ApiFilter.Parameters,
        Parameter.OneOf("what", "records", "daily", "weekly", "monthly", "session", "projects", "models"),
        Parameter.OneOf("format", "csv", "json", "jsonl"),
        new("breakdown", "boolean"),
    ];

    /// <summary>Writes the export.</summary>
    public async Task WriteAsync(HttpContext context)
    {
        var query = new QueryReader(context, Parameters);
        var what = query.Choice("what") ?? "records";
        var format = (query.Choice("format") ?? "csv") switch { "json" => ExportFormat.Json, "jsonl" => ExportFormat.JsonLines, _ => ExportFormat.Csv };
        var breakdown = query.Boolean("breakdown") ?? false;
        if (breakdown && (what == "records" || format != ExportFormat.Csv))
        {
            query.Fail("breakdown", "applies to a report exported as csv (JSON always has modelBreakdowns).");
        }

        var filter = await ApiFilter.ReadAsync(query, data, context.RequestAborted);
        if (filter is null || query.Failed)
        {
            await Problem.BadParametersAsync(context, query.Errors);
            return;
        }

        var response = context.Response;
        var extension = format switch { ExportFormat.Json => "json", ExportFormat.JsonLines => "jsonl", _ => "csv" };
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = format switch
        {
            ExportFormat.Json => "application/json; charset=utf-8",
            ExportFormat.JsonLines => "application/jsonl; charset=utf-8",
            _ => "text/csv; charset=utf-8; header=present",
        };
        var stamp = data.Clock.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        response.Headers.ContentDisposition = $"attachment; filename=\"tally-{what}-{stamp}.{extension}\"";
        if (what == "records")
        {
            // The exporter's writers are synchronous between its periodic asynchronous flushes: they write into this
            // buffer, which reaches the client only on those flushes (Kestrel refuses synchronous I/O).
            await using var body = new AsyncFlushStream(response.Body);
            var exporter = new RecordExporter(format, filter.Request.CostMode, data.Catalog);
            await exporter.WriteAsync(data.Reader().ReadRecordsAsync(filter.Query, context.RequestAborted), body, context.RequestAborted);
            return;
        }

        var kind = what switch
        {
            "weekly" => ReportKind.Weekly,
            "monthly" => ReportKind.Monthly,
            "session" => ReportKind.Session,
            "projects" => ReportKind.Projects,
            "models" => ReportKind.Models,
            _ => ReportKind.Daily,
        };
        var report = await ReportBuilder.BuildAsync(data.Reader(), data.Catalog, filter.For(kind), filter.Query, context.RequestAborted);
        var text = new StringWriter(CultureInfo.InvariantCulture);
        switch (format)
        {
            case ExportFormat.Csv:
                CsvReportWriter.Write(report, text, breakdown);
                break;
            case ExportFormat.Json:
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                using (var json = new System.Text.Json.Utf8JsonWriter(buffer, new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    ReportJson.Write(json, report);
                }

                await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
                return;
            default:
                ReportJson.WriteLines(report, text);
                break;
        }

        await response.WriteAsync(text.ToString(), Encoding.UTF8, context.RequestAborted);
    }
}
