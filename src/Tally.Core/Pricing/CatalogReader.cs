using System.Globalization;
using System.Text.Json;

using static Tally.Core.Pricing.JsonFields;

namespace Tally.Core.Pricing;

/// <summary>Reads Tally's own catalog format (see <c>catalog.json</c>) into a <see cref="PriceCatalog"/>.</summary>
internal static class CatalogReader
{
    private static readonly string[] RootProperties = ["version", "asOf", "source", "note", "webSearch", "batch", "models"];
    private static readonly string[] ModelProperties =
        ["id", "aliases", "source", "asOf", "note", "maxInputTokens", "prices", "longContext", "fastMode", "dataResidency", "regionalEndpoint"];

    private static readonly string[] RateProperties = ["input", "output", "cacheWrite5m", "cacheWrite1h", "cacheRead"];
    private static readonly string[] RowProperties = ["from", "to", "source", "asOf", "note"];

    public static PriceCatalog Read(Stream json)
    {
        using JsonDocument document = Parse(json, "price catalog");
        JsonElement root = document.RootElement;
        ExpectObject(root, "$", RootProperties);
        string version = RequiredString(root, "version", "$");
        Defaults defaults = new(OptionalString(root, "source", "$"), OptionalDate(root, "asOf", "$"));

        WebSearchFee[] webSearch = ReadRows(root, "webSearch", "$", defaults, ["usdPer1000"], static (e, p) =>
            new WebSearchFee { UsdPer1000 = RequiredDecimal(e, "usdPer1000", p) });
        MultiplierRow[] batch = ReadMultipliers(root, "batch", "$", defaults);

        List<ModelPricing> models = [];
        JsonElement[] entries = OptionalArray(root, "models", "$");
        for (int i = 0; i < entries.Length; i++)
        {
            models.Add(ReadModel(entries[i], string.Create(CultureInfo.InvariantCulture, $"$.models[{i}]"), defaults));
        }

        return new PriceCatalog(version, defaults.AsOf, models, webSearch, batch);
    }

    private static ModelPricing ReadModel(JsonElement element, string path, Defaults catalog)
    {
        ExpectObject(element, path, ModelProperties);
        string id = Lower(RequiredString(element, "id", path));
        path = $"{path}({id})";
        List<string> aliases = [];
        foreach (JsonElement alias in OptionalArray(element, "aliases", path))
        {
            aliases.Add(alias.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(alias.GetString())
                ? Lower(alias.GetString()!.Trim())
                : throw new FormatException($"{path}.aliases: every alias must be a non-empty string."));
        }

        Defaults defaults = new(OptionalString(element, "source", path) ?? catalog.Source, OptionalDate(element, "asOf", path) ?? catalog.AsOf);
        decimal? maxInput = OptionalDecimal(element, "maxInputTokens", path);
        return new ModelPricing
        {
            Id = id,
            Aliases = aliases,
            Source = defaults.Source,
            AsOf = defaults.AsOf,
            Note = OptionalString(element, "note", path),
            MaxInputTokens = maxInput is null ? null : WholeNumber(maxInput.Value, $"{path}.maxInputTokens"),
            Prices = ReadRows(element, "prices", path, defaults, RateProperties, static (e, p) =>
                new PriceRow { Rates = ReadRates(e, p) }),
            LongContext = ReadRows(element, "longContext", path, defaults, [.. RateProperties, "threshold"], static (e, p) =>
                new LongContextTier
                {
                    Threshold = WholeNumber(RequiredDecimal(e, "threshold", p), $"{p}.threshold"),
                    Rates = ReadRates(e, p),
                }),
            FastMode = ReadMultipliers(element, "fastMode", path, defaults),
            DataResidency = ReadMultipliers(element, "dataResidency", path, defaults),
            RegionalEndpoint = ReadMultipliers(element, "regionalEndpoint", path, defaults),
        };
    }

    private static MultiplierRow[] ReadMultipliers(JsonElement parent, string name, string path, Defaults defaults) =>
        ReadRows(parent, name, path, defaults, ["multiplier"], static (e, p) =>
        {
            decimal multiplier = RequiredDecimal(e, "multiplier", p);
            return multiplier > 0m
                ? new MultiplierRow { Multiplier = multiplier }
                : throw new FormatException($"{p}.multiplier: must be greater than 0.");
        });

    private static T[] ReadRows<T>(
        JsonElement parent, string name, string path, Defaults defaults, string[] extra, Func<JsonElement, string, T> create)
        where T : DatedRow
    {
        JsonElement[] elements = OptionalArray(parent, name, path);
        string[] allowed = [.. RowProperties, .. extra];
        List<T> rows = [];
        for (int i = 0; i < elements.Length; i++)
        {
            string rowPath = string.Create(CultureInfo.InvariantCulture, $"{path}.{name}[{i}]");
            ExpectObject(elements[i], rowPath, allowed);
            T row = create(elements[i], rowPath);
            rows.Add((T)(row with
            {
                From = OptionalDate(elements[i], "from", rowPath),
                To = OptionalDate(elements[i], "to", rowPath),
                Source = OptionalString(elements[i], "source", rowPath) ?? defaults.Source,
                AsOf = OptionalDate(elements[i], "asOf", rowPath) ?? defaults.AsOf,
                Note = OptionalString(elements[i], "note", rowPath),
            }));
        }

        return DatedRows.SortAndCheck(rows, $"{path}.{name}");
    }

    private static TokenRates ReadRates(JsonElement element, string path) => new(
        RequiredDecimal(element, "input", path),
        RequiredDecimal(element, "output", path),
        OptionalDecimal(element, "cacheWrite5m", path),
        OptionalDecimal(element, "cacheWrite1h", path),
        OptionalDecimal(element, "cacheRead", path));

    private static long WholeNumber(decimal value, string path) =>
        value == decimal.Truncate(value) && value is > 0m and <= long.MaxValue
            ? (long)value
            : throw new FormatException($"{path}: must be a whole number greater than 0.");

#pragma warning disable CA1308 // Model ids are lower case by convention.
    private static string Lower(string id) => id.ToLowerInvariant();
#pragma warning restore CA1308

    private readonly record struct Defaults(string? Source, DateOnly? AsOf);
}
