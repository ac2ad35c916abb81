using System.Globalization;
using System.Text.Json;
using Tally.Cli.Reports;
using Tally.Core.Limits;

namespace Tally.Cli.Output;

/// <summary>
/// Writes <c>tally blocks --json</c>: ccusage's <c>blocks</c> array, field for field, with Tally's additions (where a
/// window's start and reset came from, the cache-write split, per-model figures), and the weekly windows beside it.
/// The schema is in docs/json-schemas.md.
/// </summary>
internal static class BlocksJsonWriter
{
    /// <summary>Writes <paramref name="view"/> to <paramref name="output"/>.</summary>
    public static void Write(BlocksView view, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(output);
        JsonOutput.Write(output, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("blocks");
            foreach (var block in view.Blocks)
            {
                WriteBlock(json, block, view.TokenLimit);
            }

            json.WriteEndArray();
            json.WriteStartArray("weeklyWindows");
            foreach (var week in view.Weeks)
            {
                WriteWeek(json, week, view.ModelFamilies);
            }

            json.WriteEndArray();
            json.WriteStartObject("tally");
            json.WriteNumber("schemaVersion", JsonReportWriter.SchemaVersion);
            json.WriteString("report", "blocks");
            json.WriteString("timezone", view.Request.Zone.Id);
            json.WriteString("since", view.Request.Since?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteString("until", view.Request.Until?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteString("costMode", view.Request.CostMode.ToString().ToLowerInvariant());
            json.WriteNumber("sessionLengthHours", (decimal)view.Length.TotalHours);
            if (view.TokenLimit is { } limit)
            {
                json.WriteNumber("tokenLimit", limit);
            }
            else
            {
                json.WriteNull("tokenLimit");
            }

            json.WriteString("catalogVersion", view.CatalogVersion);
            json.WriteNumber("problems", view.Problems);
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }

    private static void WriteBlock(Utf8JsonWriter json, UsageBlock block, long? tokenLimit)
    {
        var totals = block.Totals;
        json.WriteStartObject();
        json.WriteString("id", block.Id);
        json.WriteString("startTime", TimeText.Iso(block.Start));
        json.WriteString("endTime", TimeText.Iso(block.End));
        if (block.ActualEnd is { } actual)
        {
            json.WriteString("actualEndTime", TimeText.Iso(actual));
        }
        else
        {
            json.WriteNull("actualEndTime");
        }

        json.WriteBoolean("isActive", block.IsActive);
        json.WriteBoolean("isGap", block.IsGap);
        json.WriteNumber("entries", totals.Calls);
        WriteTokenCounts(json, totals);
        json.WriteNumber("costUSD", totals.CostUsd);
        json.WriteStartArray("models");
        foreach (var model in block.Models)
        {
            json.WriteStringValue(model.Model);
        }

        json.WriteEndArray();
        if (block.BurnRate is { } rate)
        {
            json.WriteStartObject("burnRate");
            json.WriteNumber("tokensPerMinute", rate.TokensPerMinute);
            json.WriteNumber("tokensPerMinuteForIndicator", rate.TokensPerMinuteForIndicator);
            json.WriteNumber("costPerHour", rate.CostPerHour);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("burnRate");
        }

        if (block.Projection is { } projection)
        {
            json.WriteStartObject("projection");
            json.WriteNumber("totalTokens", projection.TotalTokens);
            json.WriteNumber("totalCost", projection.TotalCost);
            json.WriteNumber("remainingMinutes", projection.RemainingMinutes);
            json.WriteEndObject();
            if (tokenLimit is { } limit)
            {
                json.WriteStartObject("tokenLimitStatus");
                json.WriteNumber("limit", limit);
                json.WriteNumber("projectedUsage", projection.TotalTokens);
                json.WriteNumber("percentUsed", projection.TotalTokens * 100.0 / limit);
                json.WriteString("status", BlocksView.LimitStatus(projection.TotalTokens, limit));
                json.WriteEndObject();
            }
        }
        else
        {
            json.WriteNull("projection");
        }

        if (block.LimitResetAt is { } reset)
        {
            json.WriteString("usageLimitResetTime", TimeText.Iso(reset));
        }

        // Tally's additions.
        json.WriteString("windowSource", block.IsGap ? "gap" : (block.AnchoredBy is { } kind ? ProvenanceNames.Of(kind) : Provenance.Estimate).Label());
        json.WriteNumber("cacheCreation5mTokens", totals.Tokens.CacheWrite5m);
        json.WriteNumber("cacheCreation1hTokens", totals.Tokens.CacheWrite1h);
        json.WriteNumber("unpricedRequests", totals.UnpricedCalls);
        if (block.FirstEntry is { } first)
        {
            json.WriteString("firstEntryTime", TimeText.Iso(first));
        }

        WriteModels(json, block.Models);
        json.WriteEndObject();
    }

    private static void WriteWeek(Utf8JsonWriter json, UsageWindow week, IReadOnlyList<string> families)
    {
        json.WriteStartObject();
        json.WriteString("id", TimeText.Iso(week.Start));
        json.WriteString("startTime", TimeText.Iso(week.Start));
        json.WriteString("endTime", TimeText.Iso(week.End));
        json.WriteBoolean("isActive", week.IsActive);
        json.WriteString("windowSource", week.Source.Label());
        json.WriteNumber("entries", week.Totals.Calls);
        WriteTokenCounts(json, week.Totals);
        json.WriteNumber("costUSD", week.Totals.CostUsd);
        json.WriteStartArray("models");
        foreach (var model in week.Models)
        {
            json.WriteStringValue(model.Model);
        }

        json.WriteEndArray();
        WriteModels(json, week.Models);
        json.WriteStartArray("modelWindows");
        foreach (var family in families)
        {
            var share = week.Models.Where(m => m.Model.Contains(family, StringComparison.OrdinalIgnoreCase)).Aggregate(WindowTotals.Empty, static (sum, m) => sum.Add(m.Totals));
            json.WriteStartObject();
            json.WriteString("model", family);
            json.WriteNumber("entries", share.Calls);
            json.WriteNumber("totalTokens", share.Tokens.Total);
            json.WriteNumber("costUSD", share.CostUsd);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteTokenCounts(Utf8JsonWriter json, WindowTotals totals)
    {
        json.WriteStartObject("tokenCounts");
        json.WriteNumber("inputTokens", totals.Tokens.Input);
        json.WriteNumber("outputTokens", totals.Tokens.Output);
        json.WriteNumber("cacheCreationInputTokens", totals.Tokens.CacheWrite);
        json.WriteNumber("cacheReadInputTokens", totals.Tokens.CacheRead);
        json.WriteEndObject();
        json.WriteNumber("totalTokens", totals.Tokens.Total);
    }

    private static void WriteModels(Utf8JsonWriter json, IReadOnlyList<ModelUsage> models)
    {
        json.WriteStartArray("modelBreakdowns");
        foreach (var model in models)
        {
            json.WriteStartObject();
            json.WriteString("modelName", model.Model);
            json.WriteNumber("entries", model.Totals.Calls);
            json.WriteNumber("totalTokens", model.Totals.Tokens.Total);
            json.WriteNumber("cost", model.Totals.CostUsd);
            if (model.Totals.UnpricedCalls > 0)
            {
                json.WriteBoolean("missingPricing", true);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
