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
        WriteTotals(json, line.Totals, Names.TotalCost);
        switch (keyName is null ? kind : ReportKind.Daily)
        {
            case ReportKind.Session:
                json.WriteString(Names.ProjectPath, line.ProjectPath);
                break;
            case ReportKind.Projects:
                json.WriteString(Names.ProjectPath, line.ProjectPath);
                json.WriteNumber(Names.Sessions, line.Sessions ?? 0);
                break;
            case ReportKind.Models:
                json.WriteString(Names.CatalogModel, line.CatalogModel);
                break;
        }

        if (kind != ReportKind.Models)
        {
            json.WriteStartArray(Names.ModelsUsed);
            foreach (var model in line.Models)
            {
                json.WriteStringValue(model.Model);
            }

            json.WriteEndArray();
        }

        json.WriteStartArray(Names.ModelBreakdowns);
        foreach (var model in line.Models)
        {
            json.WriteStartObject();
            json.WriteString(Names.ModelName, model.Model);
            WriteTotals(json, model.Totals, Names.Cost);
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
        WriteTotals(json, totals, costName switch
        {
            "totalCost" => Names.TotalCost,
            "cost" => Names.Cost,
            _ => JsonEncodedText.Encode(costName, json.Options.Encoder),
        });
    }

    // Property names are encoded once (a session report writes some 100,000 of them), and instants are formatted
    // straight to UTF-8: the same bytes as writing the names and the instants' strings.
    private static void WriteTotals(Utf8JsonWriter json, UsageTotals totals, JsonEncodedText costName)
    {
        var tokens = totals.Tokens;
        json.WriteNumber(Names.InputTokens, tokens.Input);
        json.WriteNumber(Names.OutputTokens, tokens.Output);
        json.WriteNumber(Names.CacheCreationTokens, tokens.CacheWrite);
        json.WriteNumber(Names.CacheReadTokens, tokens.CacheRead);
        json.WriteNumber(Names.TotalTokens, tokens.Total);
        json.WriteNumber(costName, totals.CostUsd);
        if (totals.UnpricedRequests > 0)
        {
            json.WriteBoolean(Names.MissingPricing, true);
        }

        json.WriteNumber(Names.CacheCreation5mTokens, tokens.CacheWrite5m);
        json.WriteNumber(Names.CacheCreation1hTokens, tokens.CacheWrite1h);
        json.WriteNumber(Names.WebSearchRequests, totals.WebSearchRequests);
        json.WriteNumber(Names.Requests, totals.Requests);
        json.WriteNumber(Names.LongContextRequests, totals.LongContextRequests);
        json.WriteNumber(Names.UnpricedRequests, totals.UnpricedRequests);
        json.WriteString(Names.CostSource, ReportShape.CostSource(totals));
        if (totals.FirstActivity is { } first && totals.LastActivity is { } last)
        {
            WriteInstant(json, Names.FirstActivity, first);
            WriteInstant(json, Names.LastActivity, last);
        }
    }

    private static void WriteInstant(Utf8JsonWriter json, JsonEncodedText name, DateTimeOffset instant)
    {
        Span<byte> utf8 = stackalloc byte[InstantLength];
        FormatInstant(instant, utf8);
        json.WriteString(name, utf8);
    }

    /// <summary>The length of an instant as reports write it: <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    internal const int InstantLength = 24;

    /// <summary>Writes <paramref name="instant"/> in UTC as <c>yyyy-MM-dd'T'HH:mm:ss.fff'Z'</c> (what
    /// <see cref="DateTime.ToString(string, IFormatProvider)"/> gives, milliseconds truncated) into
    /// <paramref name="utf8"/>, which holds <see cref="InstantLength"/> bytes.</summary>
    internal static void FormatInstant(DateTimeOffset instant, Span<byte> utf8) =>
        instant.UtcDateTime.TryFormat(utf8, out _, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

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

    /// <summary>The fields' names, encoded once.</summary>
    private static class Names
    {
        public static readonly JsonEncodedText InputTokens = JsonEncodedText.Encode("inputTokens");
        public static readonly JsonEncodedText OutputTokens = JsonEncodedText.Encode("outputTokens");
        public static readonly JsonEncodedText CacheCreationTokens = JsonEncodedText.Encode("cacheCreationTokens");
        public static readonly JsonEncodedText CacheReadTokens = JsonEncodedText.Encode("cacheReadTokens");
        public static readonly JsonEncodedText TotalTokens = JsonEncodedText.Encode("totalTokens");
        public static readonly JsonEncodedText TotalCost = JsonEncodedText.Encode("totalCost");
        public static readonly JsonEncodedText Cost = JsonEncodedText.Encode("cost");
        public static readonly JsonEncodedText MissingPricing = JsonEncodedText.Encode("missingPricing");
        public static readonly JsonEncodedText CacheCreation5mTokens = JsonEncodedText.Encode("cacheCreation5mTokens");
        public static readonly JsonEncodedText CacheCreation1hTokens = JsonEncodedText.Encode("cacheCreation1hTokens");
        public static readonly JsonEncodedText WebSearchRequests = JsonEncodedText.Encode("webSearchRequests");
        public static readonly JsonEncodedText Requests = JsonEncodedText.Encode("requests");
        public static readonly JsonEncodedText LongContextRequests = JsonEncodedText.Encode("longContextRequests");
        public static readonly JsonEncodedText UnpricedRequests = JsonEncodedText.Encode("unpricedRequests");
        public static readonly JsonEncodedText CostSource = JsonEncodedText.Encode("costSource");
        public static readonly JsonEncodedText FirstActivity = JsonEncodedText.Encode("firstActivity");
        public static readonly JsonEncodedText LastActivity = JsonEncodedText.Encode("lastActivity");
        public static readonly JsonEncodedText ProjectPath = JsonEncodedText.Encode("projectPath");
        public static readonly JsonEncodedText Sessions = JsonEncodedText.Encode("sessions");
        public static readonly JsonEncodedText CatalogModel = JsonEncodedText.Encode("catalogModel");
        public static readonly JsonEncodedText ModelsUsed = JsonEncodedText.Encode("modelsUsed");
        public static readonly JsonEncodedText ModelBreakdowns = JsonEncodedText.Encode("modelBreakdowns");
        public static readonly JsonEncodedText ModelName = JsonEncodedText.Encode("modelName");
    }
}
