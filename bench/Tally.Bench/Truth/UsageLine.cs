using System.Globalization;
using System.Text.Json;

using Tally.Core.Usage;

namespace Tally.Bench.Truth;

/// <summary>
/// The usage of one assistant line, read independently of Tally's parser. An all-zero or absent
/// <c>cache_creation</c> split books the flat <c>cache_creation_input_tokens</c> as 5-minute writes.
/// </summary>
internal sealed record UsageLine(
    string? MessageId, string Model, DateTimeOffset Timestamp, bool OddFraction, TokenCounts Tokens, bool ZeroSplit,
    int WebSearches, string? ServiceTier, string? Speed, string? InferenceGeo, decimal? CostUsd)
{
    /// <summary>The line's usage, or null when it is not an assistant line with usage from a real model.</summary>
    public static UsageLine? Read(string line)
    {
        using var doc = JsonDocument.Parse(line);
        JsonElement root = doc.RootElement;
        if (Str(root, "type") != "assistant" || !root.TryGetProperty("message", out JsonElement message)
            || !message.TryGetProperty("usage", out JsonElement usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string model = Str(message, "model") ?? "";
        string? stamp = Str(root, "timestamp");
        if (model.Length == 0 || model == "<synthetic>" || stamp is null)
        {
            return null;
        }

        long flat = Num(usage, "cache_creation_input_tokens");
        long w5 = flat, w1 = 0;
        bool zeroSplit = false;
        if (usage.TryGetProperty("cache_creation", out JsonElement split) && split.ValueKind == JsonValueKind.Object)
        {
            long s5 = Num(split, "ephemeral_5m_input_tokens"), s1 = Num(split, "ephemeral_1h_input_tokens");
            zeroSplit = s5 + s1 == 0 && flat > 0;
            (w5, w1) = zeroSplit ? (flat, 0L) : (s5, s1);
        }

        int dot = stamp.IndexOf('.', StringComparison.Ordinal);
        int digits = dot < 0 ? 0 : stamp[(dot + 1)..].TakeWhile(char.IsAsciiDigit).Count();
        return new UsageLine(
            Str(message, "id"),
            model,
            DateTimeOffset.Parse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            digits is not (0 or 3),
            new TokenCounts(Num(usage, "input_tokens"), Num(usage, "output_tokens"), w5, w1, Num(usage, "cache_read_input_tokens")),
            zeroSplit,
            usage.TryGetProperty("server_tool_use", out JsonElement stu) ? (int)Num(stu, "web_search_requests") : 0,
            Str(usage, "service_tier"),
            Str(usage, "speed"),
            Str(usage, "inference_geo"),
            root.TryGetProperty("costUSD", out JsonElement c) && c.ValueKind == JsonValueKind.Number ? c.GetDecimal() : null);
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
}
