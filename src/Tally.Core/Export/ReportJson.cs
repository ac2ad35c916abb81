using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tally.Core.Reports;

namespace Tally.Core.Export;

/// <summary>
/// Writes a report as JSON in ccusage's shape (same array and field names, so existing scripts keep working) plus
/// Tally's own fields: the 5m/1h cache split, web searches, request counts, cost provenance, unpriced models.
/// The schema is documented in <c>docs/json-schemas.md</c>.
/// </summary>
public static class ReportJson
{
    /// <summary>The version of Tally's additions to the shape.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Writes <paramref name="report"/> as one JSON object (its rows, their totals and Tally's metadata).</summary>
    public static void Write(Utf8JsonWriter json, Report report)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(report);
        json.WriteStartObject();
        json.WriteStartArray(ReportShape.ArrayName(report.Request.Kind));
        foreach (var line in report.Lines)
        {
            WriteLine(json, report.Request.Kind, line);
        }

        json.WriteEndArray();
        json.WriteStartObject("totals");
        WriteTotals(json, report.Totals);
        json.WriteEndObject();
        WriteMeta(json, report);
        json.WriteEndObject();
    }

    /// <summary>Writes the report as JSON Lines: one row object per line (the same objects as the report's array), no totals.</summary>
    public static void WriteLines(Report report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var buffer = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        foreach (var line in report.Lines)
        {
            WriteLine(json, report.Request.Kind, line);
            json.Flush();
            output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
            output.Write('\n');
            buffer.Clear();
            json.Reset();
        }
    }

    /// <summary>Writes one row as a JSON object (its key under <paramref name="keyName"/>, else the report's key name).</summary>
    public static void WriteLine(Utf8JsonWriter json, ReportKind kind, ReportLine line, string? keyName = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(line);
        json.WriteStartObject();
        json.WriteString(keyName ?? ReportShape.KeyName(kind), line.Key);
        WriteTotals(json, line.Totals);
        switch (keyName is null ? kind : ReportKind.Daily)
        {
            case ReportKind.Session:
                json.WriteString("projectPath", line.ProjectPath);
                break;
            case ReportKind.Projects:
                json.WriteString("projectPath", line.ProjectPath);
                json.WriteNumber("sessions", line.Sessions ?? 0);
                break;
            case ReportKind.Models:
                json.WriteString("catalogModel", line.CatalogModel);
                break;
        }

        if (kind != ReportKind.Models)
        {
            json.WriteStartArray("modelsUsed");
            foreach (var model in line.Models)
            {
                json.WriteStringValue(model.Model);
            }

            json.WriteEndArray();
        }

        json.WriteStartArray("modelBreakdowns");
        foreach (var model in line.Models)
        {
            json.WriteStartObject();
            json.WriteString("modelName", model.Model);
            WriteTotals(json, model.Totals, costName: "cost");
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Writes a row's figures as properties of the object being written (<c>totalCost</c> under <paramref name="costName"/>).</summary>
    public static void WriteTotals(Utf8JsonWriter json, UsageTotals totals, string costName = "totalCost")
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(totals);
        var tokens = totals.Tokens;
        json.WriteNumber("inputTokens", tokens.Input);
        json.WriteNumber("outputTokens", tokens.Output);
        json.WriteNumber("cacheCreationTokens", tokens.CacheWrite);
        json.WriteNumber("cacheReadTokens", tokens.CacheRead);
        json.WriteNumber("totalTokens", tokens.Total);
        json.WriteNumber(costName, totals.CostUsd);
        if (totals.UnpricedRequests > 0)
        {
            json.WriteBoolean("missingPricing", true);
        }

        json.WriteNumber("cacheCreation5mTokens", tokens.CacheWrite5m);
        json.WriteNumber("cacheCreation1hTokens", tokens.CacheWrite1h);
        json.WriteNumber("webSearchRequests", totals.WebSearchRequests);
        json.WriteNumber("requests", totals.Requests);
        json.WriteNumber("longContextRequests", totals.LongContextRequests);
        json.WriteNumber("unpricedRequests", totals.UnpricedRequests);
        json.WriteString("costSource", ReportShape.CostSource(totals));
        if (totals.FirstActivity is { } first && totals.LastActivity is { } last)
        {
            json.WriteString("firstActivity", Instant(first));
            json.WriteString("lastActivity", Instant(last));
        }
    }

    private static void WriteMeta(Utf8JsonWriter json, Report report)
    {
        var request = report.Request;
        json.WriteStartObject("tally");
        json.WriteNumber("schemaVersion", SchemaVersion);
        json.WriteString("report", ReportShape.ArrayName(request.Kind));
        json.WriteString("timezone", request.Zone.Id);
        json.WriteString("since", request.Since?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        json.WriteString("until", request.Until?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        json.WriteString("costMode", request.CostMode.ToString().ToLowerInvariant());
        json.WriteString("catalogVersion", report.CatalogVersion);
        json.WriteStartArray("unpricedModels");
        foreach (var model in report.UnpricedModels)
        {
            json.WriteStringValue(model);
        }

        json.WriteEndArray();
        json.WriteNumber("problems", report.Problems);
        json.WriteEndObject();
    }

    private static string Instant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
