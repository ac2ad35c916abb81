using System.Globalization;
using System.Text.Json;
using Tally.Core.Export;
using Tally.Core.Reports;

namespace Tally.Server.Api;

/// <summary>The pieces every API document shares: figures (the CLI's JSON field names), filters, instants.</summary>
internal static class ApiJson
{
    /// <summary>
    /// A row's figures as properties of the object being written: the CLI's fields (tokens by kind, <c>totalCost</c>,
    /// requests, provenance, first and last activity) and <c>cacheHitRate</c> = cache reads / (cache reads + input), null
    /// when both are 0.
    /// </summary>
    public static void WriteFigures(Utf8JsonWriter json, UsageTotals totals)
    {
        ReportJson.WriteTotals(json, totals);
        var read = totals.Tokens.CacheRead;
        var denominator = read + totals.Tokens.Input;
        if (denominator == 0)
        {
            json.WriteNull("cacheHitRate");
        }
        else
        {
            json.WriteNumber("cacheHitRate", Math.Round((decimal)read / denominator, 6, MidpointRounding.AwayFromZero));
        }
    }

    /// <summary>A row's per-model figures: <c>modelBreakdowns</c> as in the CLI's JSON.</summary>
    public static void WriteModels(Utf8JsonWriter json, IReadOnlyList<ModelLine> models)
    {
        json.WriteStartArray("modelBreakdowns");
        foreach (var model in models)
        {
            json.WriteStartObject();
            json.WriteString("modelName", model.Model);
            ReportJson.WriteTotals(json, model.Totals, costName: "cost");
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>The filters a document was computed with, as the request gave them (and the defaults it did not).</summary>
    public static void WriteFilter(Utf8JsonWriter json, ApiFilter filter, string name = "filters")
    {
        json.WriteStartObject(name);
        json.WriteString("startDate", filter.Request.Since is { } since ? ApiFilter.Iso(since) : null);
        json.WriteString("endDate", filter.Request.Until is { } until ? ApiFilter.Iso(until) : null);
        json.WriteString("timezone", filter.Request.Zone.Id);
        json.WriteString("source", filter.Source);
        json.WriteString("executionMode", filter.ExecutionMode);
        WriteList(json, "project", filter.Projects);
        WriteList(json, "projectPaths", filter.Query.Projects);
        WriteList(json, "models", filter.Query.Models);
        json.WriteString("costMode", filter.Request.CostMode.ToString().ToLowerInvariant());
        json.WriteEndObject();
    }

    /// <summary>An instant as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>, or null.</summary>
    public static void WriteInstant(Utf8JsonWriter json, string name, DateTimeOffset? instant)
    {
        if (instant is { } value)
        {
            json.WriteString(name, Instant(value));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>An instant as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    public static string Instant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A list of strings, or null.</summary>
    public static void WriteList(Utf8JsonWriter json, string name, IEnumerable<string>? values)
    {
        if (values is null)
        {
            json.WriteNull(name);
            return;
        }

        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
