using System.Globalization;
using System.Text.Json;

using static Tally.Core.Pricing.JsonFields;

namespace Tally.Core.Pricing;

/// <summary>
/// Imports LiteLLM's <c>model_prices_and_context_window.json</c> as an override catalog for
/// <see cref="PriceCatalog.Merge"/>, so users can refresh prices from a local file without a new release.
/// </summary>
public static class LiteLlmImporter
{
    /// <summary>The <see cref="DatedRow.Source"/> of every imported row.</summary>
    public const string SourceName = "litellm";

    private const decimal PerMillion = 1_000_000m;
    private const decimal MaxPerToken = 1_000_000m;
    private const string Above200k = "_above_200k_tokens";

    /// <summary>
    /// Reads the Claude entries of a LiteLLM price file. Keys may carry a provider prefix (<c>anthropic/</c>,
    /// <c>bedrock/</c>, <c>vertex_ai/</c>) and any form <see cref="ModelIds.Normalize"/> accepts; other providers,
    /// non-Claude models, <c>sample_spec</c>, Bedrock regional keys (whose prices include the regional premium Tally
    /// applies itself) and entries without both an input and an output price are skipped. When several keys name one
    /// model, the Anthropic key wins over Vertex, and Vertex over Bedrock. Per-token prices are converted to per-million
    /// exactly in <see cref="decimal"/>. <c>*_above_200k_tokens</c> prices become a long-context tier with threshold
    /// 200,000 applied to the whole request. The 1-hour write price is taken from
    /// <c>cache_creation_input_token_cost_above_1hr</c> when present, else left unpublished, so a merge keeps the
    /// base catalog's published price (same input price) or derives 2x input.
    /// </summary>
    /// <param name="json">The LiteLLM file's content.</param>
    /// <param name="asOf">
    /// The day the file was fetched: every imported row applies from this day on (earlier days keep the base
    /// catalog's prices; a model the base catalog lacks uses the imported row on earlier days too).
    /// </param>
    /// <returns>A catalog of overrides named <c>litellm-YYYY-MM-DD</c>.</returns>
    /// <exception cref="FormatException">The file is not valid JSON, is not an object of entries, or a Claude entry has a price that is not a non-negative number.</exception>
    public static PriceCatalog Import(Stream json, DateOnly asOf)
    {
        using JsonDocument document = Parse(json, "LiteLLM price file");
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"$: the LiteLLM price file must be an object keyed by model name, found {Kind(document.RootElement)}.");
        }

        Dictionary<string, (int Rank, string Key, ModelPricing Model)> chosen = new(StringComparer.Ordinal);
        foreach (JsonProperty entry in document.RootElement.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Object || ClaudeId(entry.Name) is not (string id, int rank))
            {
                continue;
            }

            ModelPricing? model = ReadEntry(entry.Value, $"$[\"{entry.Name}\"]", id, entry.Name, asOf);
            if (model is null)
            {
                continue;
            }

            if (!chosen.TryGetValue(id, out var previous)
                || rank < previous.Rank
                || (rank == previous.Rank && string.CompareOrdinal(entry.Name, previous.Key) < 0))
            {
                chosen[id] = (rank, entry.Name, model);
            }
        }

        string name = "litellm-" + asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new PriceCatalog(name, asOf, chosen.Values.Select(static c => c.Model), [], []);
    }

    /// <summary>The normalised Claude id a LiteLLM key names and its provider's rank (lower wins), or null to skip it.</summary>
    private static (string Id, int Rank)? ClaudeId(string key)
    {
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        string provider = slash < 0 ? string.Empty : key[..slash];
        string rest = key[(slash + 1)..];
        int? rank = provider.ToUpperInvariant() switch
        {
            "" => rest.Contains('.', StringComparison.Ordinal) ? 3 : 0, // bare Bedrock ids ("anthropic.claude-…") rank as Bedrock
            "ANTHROPIC" => 1,
            "VERTEX_AI" => 2,
            "BEDROCK" => 3,
            _ => null,
        };
        if (rank is null || rest.Contains('/', StringComparison.Ordinal))
        {
            return null; // another provider, or a region/route path such as bedrock/us-east-1/…
        }

        NormalizedModelId normalized = ModelIds.Normalize(rest);
        bool claude = normalized.Id.StartsWith("claude-", StringComparison.Ordinal);
        return claude && !normalized.RegionalEndpoint ? (normalized.Id, rank.Value) : null;
    }

    private static ModelPricing? ReadEntry(JsonElement entry, string path, string id, string key, DateOnly asOf)
    {
        decimal? input = PerMTok(entry, "input_cost_per_token", path);
        decimal? output = PerMTok(entry, "output_cost_per_token", path);
        if (input is null || output is null)
        {
            return null; // half a price would under-report silently: leave the model to the base catalog
        }

        TokenRates rates = new(
            input.Value,
            output.Value,
            PerMTok(entry, "cache_creation_input_token_cost", path),
            PerMTok(entry, "cache_creation_input_token_cost_above_1hr", path),
            PerMTok(entry, "cache_read_input_token_cost", path));

        List<LongContextTier> tiers = [];
        decimal? longInput = PerMTok(entry, "input_cost_per_token" + Above200k, path);
        decimal? longOutput = PerMTok(entry, "output_cost_per_token" + Above200k, path);
        if (longInput is not null || longOutput is not null)
        {
            tiers.Add(new LongContextTier
            {
                From = asOf,
                Threshold = 200_000,
                Rates = new TokenRates(
                    longInput ?? rates.Input,
                    longOutput ?? rates.Output,
                    PerMTok(entry, "cache_creation_input_token_cost" + Above200k, path),
                    PerMTok(entry, "cache_creation_input_token_cost_above_1hr" + Above200k, path),
                    PerMTok(entry, "cache_read_input_token_cost" + Above200k, path)),
                Source = SourceName,
                AsOf = asOf,
                Note = $"LiteLLM key \"{key}\": above 200,000 prompt tokens the whole request is re-priced.",
            });
        }

        decimal? maxInput = OptionalDecimal(entry, "max_input_tokens", path);
        return new ModelPricing
        {
            Id = id,
            Prices = [new PriceRow { From = asOf, Rates = rates, Source = SourceName, AsOf = asOf, Note = $"LiteLLM key \"{key}\"." }],
            LongContext = tiers,
            MaxInputTokens = maxInput is > 0m and <= long.MaxValue ? (long)maxInput.Value : null,
            Source = SourceName,
            AsOf = asOf,
        };
    }

    private static decimal? PerMTok(JsonElement entry, string name, string path)
    {
        decimal? perToken = OptionalDecimal(entry, name, path);
        return perToken is null || perToken.Value <= MaxPerToken
            ? perToken * PerMillion
            : throw new FormatException($"{path}.{name}: {perToken.Value} dollars per token is out of range.");
    }
}
