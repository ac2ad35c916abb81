using System.Globalization;
using System.Text.Json;
using Tally.Core.Billing;
using Tally.Core.Usage;

namespace Tally.Admin;

/// <summary>Reads the Admin API's documented shapes (a shape it does not expect is an <see cref="AdminApiException"/>).</summary>
internal static class AdminJson
{
    /// <summary>One page: its buckets (or records), whether more follow and the next page's token.</summary>
    public static (JsonElement Data, string? NextPage) Page(JsonElement root, string what)
    {
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw Malformed(what, "no \"data\" array");
        }

        var more = root.TryGetProperty("has_more", out var hasMore) && hasMore.ValueKind == JsonValueKind.True;
        string? next = null;
        if (more)
        {
            next = Text(root, "next_page") ?? Text(root, "last_id");
            if (string.IsNullOrEmpty(next))
            {
                throw Malformed(what, "\"has_more\" is true but no next page is named");
            }
        }

        return (data, next);
    }

    /// <summary>The rows of a usage report page.</summary>
    public static IEnumerable<BilledUsageRow> UsageRows(JsonElement data, string what)
    {
        foreach (var bucket in data.EnumerateArray())
        {
            var start = Time(bucket, "starting_at", what);
            foreach (var result in Results(bucket, what))
            {
                var cache = result.TryGetProperty("cache_creation", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
                var tools = result.TryGetProperty("server_tool_use", out var t) && t.ValueKind == JsonValueKind.Object ? t : default;
                yield return new BilledUsageRow
                {
                    Bucket = start,
                    Model = Text(result, "model"),
                    WorkspaceId = Text(result, "workspace_id"),
                    ApiKeyId = Text(result, "api_key_id"),
                    ServiceTier = Text(result, "service_tier"),
                    ContextWindow = Text(result, "context_window"),
                    InferenceGeo = Text(result, "inference_geo"),
                    Tokens = new TokenCounts(
                        Count(result, "uncached_input_tokens", what),
                        Count(result, "output_tokens", what),
                        Count(cache, "ephemeral_5m_input_tokens", what),
                        Count(cache, "ephemeral_1h_input_tokens", what),
                        Count(result, "cache_read_input_tokens", what)),
                    WebSearchRequests = Count(tools, "web_search_requests", what),
                };
            }
        }
    }

    /// <summary>The rows of a cost report page, amounts converted from cents to dollars exactly.</summary>
    public static IEnumerable<BilledCostRow> CostRows(JsonElement data, string what)
    {
        foreach (var bucket in data.EnumerateArray())
        {
            var day = DateOnly.FromDateTime(Time(bucket, "starting_at", what).UtcDateTime);
            foreach (var result in Results(bucket, what))
            {
                yield return new BilledCostRow
                {
                    Day = day,
                    WorkspaceId = Text(result, "workspace_id"),
                    Description = Text(result, "description"),
                    CostType = Text(result, "cost_type"),
                    TokenType = Text(result, "token_type"),
                    Model = Text(result, "model"),
                    ServiceTier = Text(result, "service_tier"),
                    ContextWindow = Text(result, "context_window"),
                    InferenceGeo = Text(result, "inference_geo"),
                    AmountUsd = Cents(result, what),
                    Currency = Text(result, "currency") ?? "USD",
                };
            }
        }
    }

    /// <summary>The records of a Claude Code analytics page.</summary>
    public static IEnumerable<ClaudeCodeDay> ClaudeCodeRows(JsonElement data, DateOnly day, string what)
    {
        foreach (var record in data.EnumerateArray())
        {
            if (record.ValueKind != JsonValueKind.Object)
            {
                throw Malformed(what, "a record is not an object");
            }

            var actor = record.TryGetProperty("actor", out var a) && a.ValueKind == JsonValueKind.Object ? a : throw Malformed(what, "a record has no actor");
            var core = Object(record, "core_metrics");
            var lines = Object(core, "lines_of_code");
            long accepted = 0, rejected = 0;
            if (Object(record, "tool_actions") is { ValueKind: JsonValueKind.Object } tools)
            {
                foreach (var tool in tools.EnumerateObject())
                {
                    accepted += Count(tool.Value, "accepted", what);
                    rejected += Count(tool.Value, "rejected", what);
                }
            }

            long tokens = 0;
            var cost = 0m;
            if (record.TryGetProperty("model_breakdown", out var models) && models.ValueKind == JsonValueKind.Array)
            {
                foreach (var model in models.EnumerateArray())
                {
                    var t = Object(model, "tokens");
                    tokens += Count(t, "input", what) + Count(t, "output", what) + Count(t, "cache_read", what) + Count(t, "cache_creation", what);
                    if (Object(model, "estimated_cost") is { ValueKind: JsonValueKind.Object } estimate)
                    {
                        cost += Cents(estimate, what);
                    }
                }
            }

            yield return new ClaudeCodeDay
            {
                Day = Text(record, "date") is { } date && DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
                    ? DateOnly.FromDateTime(d.UtcDateTime) : day,
                ActorType = Text(actor, "type") ?? "unknown",
                Actor = Text(actor, "email_address") ?? Text(actor, "api_key_name") ?? "(unnamed)",
                CustomerType = Text(record, "customer_type"),
                SubscriptionType = Text(record, "subscription_type"),
                TerminalType = Text(record, "terminal_type"),
                Sessions = Count(core, "num_sessions", what),
                LinesAdded = Count(lines, "added", what),
                LinesRemoved = Count(lines, "removed", what),
                Commits = Count(core, "commits_by_claude_code", what),
                PullRequests = Count(core, "pull_requests_by_claude_code", what),
                ToolsAccepted = accepted,
                ToolsRejected = rejected,
                Tokens = tokens,
                EstimatedCostUsd = cost,
            };
        }
    }

    /// <summary>Workspaces of a list page.</summary>
    public static IEnumerable<AdminWorkspace> Workspaces(JsonElement data, string what) =>
        data.EnumerateArray().Select(w => new AdminWorkspace(Text(w, "id") ?? throw Malformed(what, "a workspace has no id"), Text(w, "name") ?? string.Empty));

    /// <summary>API keys of a list page (the key's hint is not read).</summary>
    public static IEnumerable<AdminApiKey> ApiKeys(JsonElement data, string what) =>
        data.EnumerateArray().Select(k => new AdminApiKey(Text(k, "id") ?? throw Malformed(what, "an API key has no id"), Text(k, "name") ?? string.Empty, Text(k, "workspace_id"), Text(k, "status")));

    /// <summary>An error for a shape Tally does not understand.</summary>
    public static AdminApiException Malformed(string what, string reason) =>
        new($"{what}: the answer does not have the documented shape ({reason}); nothing was stored.");

    private static JsonElement.ArrayEnumerator Results(JsonElement bucket, string what)
    {
        if (bucket.ValueKind != JsonValueKind.Object || !bucket.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
        {
            throw Malformed(what, "a bucket has no \"results\" array");
        }

        return results.EnumerateArray();
    }

    private static DateTimeOffset Time(JsonElement bucket, string name, string what) =>
        bucket.ValueKind == JsonValueKind.Object && Text(bucket, name) is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw Malformed(what, $"a bucket has no valid \"{name}\"");

    private static JsonElement Object(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : default;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long Count(JsonElement element, string name, string what)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) && n >= 0 ? n : throw Malformed(what, $"\"{name}\" is not a count");
    }

    /// <summary>An <c>amount</c> in cents (a decimal string in the cost report, a number in the Claude Code report) as dollars.</summary>
    private static decimal Cents(JsonElement element, string what)
    {
        if (!element.TryGetProperty("amount", out var amount))
        {
            throw Malformed(what, "a cost has no \"amount\"");
        }

        decimal cents;
        if (amount.ValueKind == JsonValueKind.String
            && decimal.TryParse(amount.GetString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var parsed))
        {
            cents = parsed;
        }
        else if (amount.ValueKind == JsonValueKind.Number && amount.TryGetDecimal(out var number))
        {
            cents = number;
        }
        else
        {
            throw Malformed(what, $"\"amount\" {amount.GetRawText()} is not a number of cents");
        }

        return cents / 100m;
    }
}
