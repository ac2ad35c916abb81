using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tally.Core.Pricing;

/// <summary>A short stable hash of everything in a catalog that affects a price (not notes, sources or dates checked).</summary>
internal static class CatalogFingerprint
{
    public static string Compute(PriceCatalog catalog)
    {
        StringBuilder text = new();
        Rows(text, "web", catalog.WebSearchFees, static f => Number(f.UsdPer1000));
        Rows(text, "batch", catalog.BatchMultipliers, static m => Number(m.Multiplier));
        foreach (ModelPricing model in catalog.Models)
        {
            text.Append("model ").Append(model.Id).Append('\n');
            text.Append("aliases ").AppendJoin(',', model.Aliases.Order(StringComparer.Ordinal)).Append('\n');
            Rows(text, "price", model.Prices, static p => Rates(p.Rates));
            Rows(text, "long", model.LongContext, static t => $"{t.Threshold.ToString(CultureInfo.InvariantCulture)} {Rates(t.Rates)}");
            Rows(text, "fast", model.FastMode, static m => Number(m.Multiplier));
            Rows(text, "residency", model.DataResidency, static m => Number(m.Multiplier));
            Rows(text, "regional", model.RegionalEndpoint, static m => Number(m.Multiplier));
        }

        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToHexStringLower(hash.AsSpan(0, 6));
    }

    private static void Rows<T>(StringBuilder text, string kind, IEnumerable<T> rows, Func<T, string> describe)
        where T : DatedRow
    {
        foreach (T row in rows)
        {
            text.Append(kind).Append(' ').Append(Day(row.From)).Append(' ').Append(Day(row.To)).Append(' ').Append(describe(row)).Append('\n');
        }
    }

    private static string Rates(TokenRates r) =>
        $"{Number(r.Input)} {Number(r.Output)} {Number(r.EffectiveCacheWrite5m)} {Number(r.EffectiveCacheWrite1h)} {Number(r.EffectiveCacheRead)}";

    /// <summary>A decimal without trailing zeros, so 6.25 and 6.250 hash alike.</summary>
    private static string Number(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    private static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-";
}
