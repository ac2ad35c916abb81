using Tally.Bench.Common;
using Tally.Bench.Reports;
using Tally.Bench.Truth;

namespace Tally.Bench.Agree;

/// <summary>
/// Explains a day's differences on the full corpus with the rules of the pricing reference: what each of the day's
/// quirks (long context, web search, id-less duplicates, all-zero cache splits, midnight straddles, unknown models)
/// makes a tool that follows them differ from ccusage, which does not, and what is left unexplained.
/// </summary>
internal static class Explainer
{
    public static IReadOnlyList<string> Explain(DayDiff d, TruthDay? previous)
    {
        var lines = new List<string>();
        TruthDay? t = d.Truth;
        if (t is not null)
        {
            lines.AddRange(Causes(t, previous));
        }

        if (d.Ccusage is not null && t is not null)
        {
            (Tokens4 tokens, decimal cost) = ExpectedCcusageDelta(t, previous);
            Tokens4 residual = d.CcusageTokens - d.TruthTokens - tokens;
            decimal costResidual = d.CcusageCost - d.TruthCost - cost;
            bool explained = residual.IsZero && (Math.Abs(costResidual) <= DayDiff.CostTolerance
                || (t.LongContext > 0 && costResidual <= 0 && -costResidual <= t.LongContextPremium + DayDiff.CostTolerance));
            if (!d.CcusageMatchesTruth)
            {
                lines.Add($"ccusage − truth: tokens {Show(d.CcusageTokens - d.TruthTokens)}, $ {Fmt.Delta(d.CcusageCost - d.TruthCost, 4)}; "
                    + (explained ? "explained by the causes above" + (t.LongContext > 0 ? $" (its long-context share: {Fmt.Delta(costResidual, 4)})" : "")
                        : $"UNEXPLAINED rest: tokens {Show(residual)}, $ {Fmt.Delta(costResidual, 4)}"));
            }
        }

        if (d.Tally is not null && !d.TallyMatchesTruth)
        {
            lines.Add($"TALLY ≠ TRUTH: tokens {Show(d.TallyTokens - d.TruthTokens)}, $ {Fmt.Delta(d.TallyCost - d.TruthCost, 4)}"
                + ModelDetail(d));
        }

        return lines;
    }

    /// <summary>What ccusage is expected to differ from the truth by: no web-search fee, no whole-request tier
    /// (its share is bounded by the premium and reported separately), every id-less copy counted, the flat
    /// cache write of an all-zero split dropped, lines with odd timestamp fractions skipped, and each straddling response booked on the day of its last line.</summary>
    public static (Tokens4 Tokens, decimal Cost) ExpectedCcusageDelta(TruthDay t, TruthDay? previous)
    {
        Tokens4 tokens = t.IdlessExtraTokens + t.OddFractionTokens - new Tokens4(0, 0, t.ZeroSplitCacheTokens, 0) - t.StraddleTokensOut
            + (previous?.StraddleTokensOut ?? default);
        decimal cost = -t.WebSearchFee + t.IdlessExtraCostUsd - t.ZeroSplitCost
            - t.StraddleCostOut + (previous?.StraddleCostOut ?? 0) + t.OddFractionCost;
        return (tokens, cost);
    }

    private static IEnumerable<string> Causes(TruthDay t, TruthDay? previous)
    {
        if (t.LongContext > 0)
        {
            yield return $"long context: {t.LongContext} request(s) over 200k; the whole request is re-priced at the tier "
                + $"(+${Fmt.Usd4(t.LongContextPremium)} over standard rates); ccusage prices only each field's excess over 200k";
        }

        if (t.WebSearches > 0)
        {
            yield return $"web search: {t.WebSearches} search(es) × $0.01 = ${Fmt.Usd4(t.WebSearchFee)}; ccusage adds no fee";
        }

        if (t.IdlessCalls > 0)
        {
            yield return $"id-less duplicates: {t.IdlessCalls} line(s) without message.id, {t.IdlessExtraCopies} extra identical copies "
                + $"({Show(t.IdlessExtraTokens)}); ccusage counts every copy (+${Fmt.Usd4(t.IdlessExtraCostUsd)}); "
                + $"both tools book the lines' costUSD (${Fmt.Usd4(t.IdlessCost)} once) where the catalog says ${Fmt.Usd4(t.IdlessCatalogCost)}";
        }

        if (t.ZeroSplitCalls > 0)
        {
            yield return $"all-zero cache_creation split: {t.ZeroSplitCalls} request(s); ccusage drops the flat figure "
                + $"(−{Fmt.Count(t.ZeroSplitCacheTokens)} cache-create tokens, −${Fmt.Usd4(t.ZeroSplitCost)})";
        }

        foreach (string s in Straddles(t, previous))
        {
            yield return s;
        }

        if (t.UnknownCalls > 0)
        {
            yield return $"unknown model {string.Join(", ", t.UnknownModels)}: {t.UnknownCalls} request(s), {Fmt.Count(t.UnknownTokens.Total)} "
                + "tokens at $0 (never guessed; both tools flag it)";
        }

        if (t.OddFractionLines > 0)
        {
            yield return $"timestamps with a 1, 2, 6 or 7 digit fraction: {t.OddFractionLines} usage line(s); ccusage skips such lines, "
                + $"keeping an earlier streamed line's usage or losing the request ({Show(t.OddFractionTokens)}, {Fmt.Delta(t.OddFractionCost, 4)} $)";
        }
    }

    private static IEnumerable<string> Straddles(TruthDay t, TruthDay? previous)
    {
        if (t.StraddlesOut > 0)
        {
            yield return $"midnight straddle: {t.StraddlesOut} response(s) start here and end the next day ({Show(t.StraddleTokensOut)}, "
                + $"${Fmt.Usd4(t.StraddleCostOut)}); booked on the first line's day, ccusage books them on the last line's";
        }

        if (previous is { StraddlesOut: > 0 } p && p.Day.AddDays(1) == t.Day)
        {
            yield return $"midnight straddle: {p.StraddlesOut} response(s) from {p.Date} end here; ccusage books them here";
        }
    }

    private static string ModelDetail(DayDiff d)
    {
        var names = new SortedSet<string>(d.Truth?.Models.Keys ?? Enumerable.Empty<string>(), StringComparer.Ordinal);
        names.UnionWith(d.Tally?.Models.Select(static m => m.Name) ?? []);
        var parts = new List<string>();
        foreach (string name in names)
        {
            (Tokens4 tokens, decimal cost) truth = d.Truth?.Models.GetValueOrDefault(name) ?? default;
            ModelRow? tally = d.Tally?.Models.FirstOrDefault(m => m.Name == name);
            Tokens4 delta = (tally?.Tokens ?? default) - truth.tokens;
            decimal costDelta = (tally?.Cost ?? 0) - truth.cost;
            if (!delta.IsZero || Math.Abs(costDelta) > 0.0005m)
            {
                parts.Add($"{name}: tokens {Show(delta)}, $ {Fmt.Delta(costDelta, 4)}");
            }
        }

        return parts.Count == 0 ? "" : $" — by model: {string.Join("; ", parts)}";
    }

    private static string Show(Tokens4 t) => t.IsZero ? "none"
        : string.Join(' ', Enumerable.Range(0, 4).Where(i => t[i] != 0).Select(i => $"{Tokens4.FieldNames[i]} {Fmt.Delta(t[i])}"));
}
