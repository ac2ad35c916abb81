using System.Globalization;

using Tally.Core.Pricing;
using Tally.Core.Usage;

namespace Tally.Core.Tests.Pricing;

/// <summary>Builds pricing requests for tests.</summary>
internal static class Requests
{
    public static PricingRequest On(
        string model,
        string day,
        long input = 0,
        long output = 0,
        long write5m = 0,
        long write1h = 0,
        long read = 0,
        string? speed = null,
        string? geo = null,
        string? tier = null,
        int webSearches = 0) => new()
        {
            Model = model,
            Timestamp = DateTimeOffset.Parse(day + "T12:00:00Z", CultureInfo.InvariantCulture),
            Tokens = new TokenCounts(input, output, write5m, write1h, read),
            Speed = speed,
            InferenceGeo = geo,
            ServiceTier = tier,
            WebSearchRequests = webSearches,
        };

    public static PriceCatalog Catalog(string json) =>
        PriceCatalog.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
}
