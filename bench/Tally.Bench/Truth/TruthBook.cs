using Tally.Bench.Reports;
using Tally.Core.Pricing;
using Tally.Core.Usage;

namespace Tally.Bench.Truth;

/// <summary>
/// Prices scanned calls with Tally's embedded catalog (Anthropic's formula) in cost mode "auto" — a line's own
/// <c>costUSD</c> wins, as both tools do by default — and books them per UTC day.
/// </summary>
internal static class TruthBook
{
    public static IReadOnlyList<TruthDay> Build(IReadOnlyList<ScannedCall> calls, PriceCatalog catalog)
    {
        var days = new SortedDictionary<DateOnly, TruthDay>();
        foreach (ScannedCall call in calls)
        {
            if (!days.TryGetValue(call.Day, out TruthDay? day))
            {
                day = new TruthDay(call.Day);
                days[call.Day] = day;
            }

            Book(day, call, catalog);
        }

        return [.. days.Values];
    }

    public static Tokens4 ToTokens4(TokenCounts t) => new(t.Input, t.Output, t.CacheWrite, t.CacheRead);

    private static void Book(TruthDay day, ScannedCall call, PriceCatalog catalog)
    {
        var request = new PricingRequest
        {
            Model = call.Model,
            Timestamp = call.First,
            Tokens = call.Tokens,
            WebSearchRequests = call.WebSearches,
            ServiceTier = call.ServiceTier,
            Speed = call.Speed,
            InferenceGeo = call.InferenceGeo,
        };
        PriceQuote quote = catalog.Price(request);
        Tokens4 tokens = ToTokens4(call.Tokens);
        TokenRates? rates = catalog.Find(call.Model)?.PriceOn(call.Day)?.Rates;
        day.Tokens += tokens;
        // Cost mode "auto" (both tools' default): a line's own costUSD wins over the catalog.
        decimal cost = call.CostUsd ?? quote.CostUsd;
        day.Cost += cost;
        day.Requests++;
        (Tokens4 Tokens, decimal Cost) model = day.Models.GetValueOrDefault(call.Model);
        day.Models[call.Model] = (model.Tokens + tokens, model.Cost + cost);

        // The fee is what the searches add to the quote; the premium is what the tier adds over standard rates.
        decimal fee = call.WebSearches > 0 ? quote.CostUsd - catalog.Price(request with { WebSearchRequests = 0 }).CostUsd : 0;
        if (quote.LongContext && rates is not null)
        {
            day.LongContext++;
            day.LongContextPremium += quote.CostUsd - fee - Linear(rates, call.Tokens);
        }

        day.WebSearches += call.WebSearches;
        day.WebSearchFee += fee;
        if (call.IsIdless)
        {
            day.IdlessCalls++;
            day.IdlessExtraCopies += call.Copies - 1;
            day.IdlessExtraTokens += new Tokens4(tokens.Input * (call.Copies - 1), tokens.Output * (call.Copies - 1),
                tokens.CacheCreation * (call.Copies - 1), tokens.CacheRead * (call.Copies - 1));
            day.IdlessExtraCostUsd += cost * (call.Copies - 1);
            day.IdlessCost += cost;
            day.IdlessCatalogCost += quote.CostUsd;
        }

        // A call whose every line a strict reader skips is lost whole; its zero split no longer matters.
        if (call.ZeroSplit && call.StrictTokens is not null)
        {
            day.ZeroSplitCalls++;
            day.ZeroSplitCacheTokens += call.Tokens.CacheWrite5m;
            day.ZeroSplitCost += call.Tokens.CacheWrite5m * (rates?.EffectiveCacheWrite5m ?? 0) / 1_000_000m;
        }

        if (call.Straddles)
        {
            day.StraddlesOut++;
            day.StraddleTokensOut += tokens;
            day.StraddleCostOut += cost;
        }

        day.OddFractionLines += call.OddFractionLines;
        if (call.OddFractionLines > 0)
        {
            PricingRequest noSearch = request with { WebSearchRequests = 0 };
            decimal full = catalog.Price(noSearch).CostUsd;
            decimal strict = call.StrictTokens is { } s ? catalog.Price(noSearch with { Tokens = s }).CostUsd : 0;
            day.OddFractionTokens += (call.StrictTokens is { } st ? ToTokens4(st) : default) - tokens;
            day.OddFractionCost += strict - full;
        }
        if (quote.Status == PriceStatus.Unpriced)
        {
            day.UnknownCalls++;
            day.UnknownTokens += tokens;
            day.UnknownModels.Add(call.Model);
        }
    }

    /// <summary>The standard-rate cost of <paramref name="t"/> (no tier, no multiplier, no fee).</summary>
    private static decimal Linear(TokenRates r, TokenCounts t) =>
        ((t.Input * r.Input) + (t.CacheWrite5m * r.EffectiveCacheWrite5m) + (t.CacheWrite1h * r.EffectiveCacheWrite1h)
            + (t.CacheRead * r.EffectiveCacheRead) + (t.Output * r.Output)) / 1_000_000m;
}
