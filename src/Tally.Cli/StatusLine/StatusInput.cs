using System.Globalization;
using System.Text.Json;

namespace Tally.Cli.StatusLine;

/// <summary>
/// What Claude Code passes a <c>statusLine</c> command on standard input (every field optional; fields of the wrong type
/// are ignored, never fatal). See docs/user-guide.md#status-line.
/// </summary>
internal sealed record StatusInput
{
    /// <summary>The largest input read (Claude Code sends a few KB).</summary>
    public const int MaxLength = 1 << 20;

    /// <summary><c>session_id</c>.</summary>
    public string? SessionId { get; init; }

    /// <summary><c>transcript_path</c>.</summary>
    public string? TranscriptPath { get; init; }

    /// <summary><c>model.id</c>.</summary>
    public string? ModelId { get; init; }

    /// <summary><c>model.display_name</c>.</summary>
    public string? ModelName { get; init; }

    /// <summary><c>cost.total_cost_usd</c>: Claude Code's own estimate for the session.</summary>
    public decimal? ClientCostUsd { get; init; }

    /// <summary><c>context_window.context_window_size</c>.</summary>
    public long? ContextWindowSize { get; init; }

    /// <summary>The prompt of the latest call: <c>context_window.current_usage</c>'s input, cache-write and cache-read tokens.</summary>
    public long? ContextTokens { get; init; }

    /// <summary><c>context_window.used_percentage</c>.</summary>
    public decimal? ContextUsedPercent { get; init; }

    /// <summary><c>rate_limits.five_hour</c>.</summary>
    public RateLimit? FiveHour { get; init; }

    /// <summary><c>rate_limits.seven_day</c>.</summary>
    public RateLimit? SevenDay { get; init; }

    /// <summary>Reads the input; null (with a short reason) when it is empty or not a JSON object.</summary>
    public static StatusInput? Parse(string text, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "no status input (tally statusline reads Claude Code's status-line JSON on stdin)";
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = "status input is not a JSON object";
                return null;
            }

            var context = Object(root, "context_window");
            var usage = context is { } c ? Object(c, "current_usage") : null;
            var limits = Object(root, "rate_limits");
            return new StatusInput
            {
                SessionId = String(root, "session_id"),
                TranscriptPath = String(root, "transcript_path"),
                ModelId = Object(root, "model") is { } m ? String(m, "id") : null,
                ModelName = Object(root, "model") is { } n ? String(n, "display_name") : null,
                ClientCostUsd = Object(root, "cost") is { } cost ? Number(cost, "total_cost_usd") : null,
                ContextWindowSize = context is { } cw ? (long?)Number(cw, "context_window_size") : null,
                ContextTokens = usage is { } u ? (long?)((Number(u, "input_tokens") ?? 0) + (Number(u, "cache_creation_input_tokens") ?? 0) + (Number(u, "cache_read_input_tokens") ?? 0)) : null,
                ContextUsedPercent = context is { } cp ? Number(cp, "used_percentage") : null,
                FiveHour = limits is { } l5 ? RateLimit.Read(l5, "five_hour") : null,
                SevenDay = limits is { } l7 ? RateLimit.Read(l7, "seven_day") : null,
            };
        }
        catch (JsonException)
        {
            problem = "status input is not valid JSON";
            return null;
        }
    }

    internal static JsonElement? Object(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static decimal? Number(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number) && number >= 0)
        {
            return number;
        }

        return value.ValueKind == JsonValueKind.String && decimal.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0 ? parsed : null;
    }
}
