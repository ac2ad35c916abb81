using System.Text.Json;

namespace Tally.Bench.Reports;

/// <summary>
/// Reads ccusage-shaped JSON: <c>{"daily"|"weekly"|...: [rows], "totals": {...}}</c>, or ccusage's per-project
/// <c>{"projects": {"name": [rows]}}</c>. Extra fields are ignored.
/// </summary>
internal static class ReportParser
{
    private static readonly string[] KeyNames = ["date", "week", "month", "sessionId", "project", "projectPath", "model", "modelName"];

    /// <exception cref="FormatException">The text is not JSON of that shape.</exception>
    public static UsageReport Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            JsonElement root = doc.RootElement;
            var rows = new List<ReportRow>();
            foreach (JsonProperty p in root.EnumerateObject().Where(static p => p.Name != "totals"))
            {
                if (IsRowArray(p.Value))
                {
                    rows.AddRange(p.Value.EnumerateArray().Select(r => Row(r, null)));
                }
                else if (p.Value.ValueKind == JsonValueKind.Object)
                {
                    rows.AddRange(p.Value.EnumerateObject()
                        .Where(static g => IsRowArray(g.Value))
                        .SelectMany(static g => g.Value.EnumerateArray().Select(r => Row(r, g.Name))));
                }
            }

            JsonElement totals = root.TryGetProperty("totals", out JsonElement t) ? t
                : throw new FormatException("no \"totals\" object");
            return new UsageReport(rows, Tokens(totals), Long(totals, "totalTokens"), Cost(totals, "totalCost"));
        }
        catch (JsonException e)
        {
            throw new FormatException($"not JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException($"unexpected JSON shape: {e.Message}", e);
        }
    }

    /// <summary>An array of objects carrying token counts (not, say, Tally's list of unpriced model names).</summary>
    private static bool IsRowArray(JsonElement e) => e.ValueKind == JsonValueKind.Array
        && e.EnumerateArray().All(static r => r.ValueKind == JsonValueKind.Object && r.TryGetProperty("inputTokens", out _));

    private static ReportRow Row(JsonElement r, string? group)
    {
        string key = KeyNames.Select(k => r.TryGetProperty(k, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null)
            .FirstOrDefault(static k => k is not null) ?? "?";
        var models = r.TryGetProperty("modelBreakdowns", out JsonElement mb) && mb.ValueKind == JsonValueKind.Array
            ? mb.EnumerateArray().Select(static m => new ModelRow(
                m.TryGetProperty("modelName", out JsonElement n) ? n.GetString() ?? "?" : "?",
                Tokens(m),
                Cost(m, "cost"),
                m.TryGetProperty("missingPricing", out JsonElement mp) && mp.ValueKind == JsonValueKind.True)).ToArray()
            : [];
        return new ReportRow(group is null ? key : $"{group} {key}", Tokens(r), Long(r, "totalTokens"), Cost(r, "totalCost"), models);
    }

    private static Tokens4 Tokens(JsonElement e) => new(
        Long(e, "inputTokens"), Long(e, "outputTokens"), Long(e, "cacheCreationTokens"), Long(e, "cacheReadTokens"));

    private static long Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64()
            : throw new FormatException($"missing number \"{name}\"");

    private static decimal Cost(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDecimal()
            : throw new FormatException($"missing number \"{name}\"");
}
