using System.Collections.Concurrent;

namespace Tally.Core.Pricing;

/// <summary>
/// A dated price catalog: per-model prices by day, long-context tiers, multipliers and fees, and the rules that turn a
/// <see cref="PricingRequest"/> into a <see cref="PriceQuote"/>. Immutable and safe to share between threads.
/// </summary>
public sealed class PriceCatalog
{
    private const string ResourceName = "Tally.Core.Pricing.catalog.json";
    private const int ResolveCacheLimit = 4096;

    private static readonly Lazy<PriceCatalog> EmbeddedCatalog = new(() => LoadEmbedded(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Dictionary<string, ModelPricing> _byIdOrAlias = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Resolution> _resolved = new(StringComparer.Ordinal);

    /// <summary>Creates a catalog; throws <see cref="FormatException"/> when two models claim one id or alias.</summary>
    private string? _version;
    private string? _pinnedFingerprint;

    internal PriceCatalog(
        string name, DateOnly? asOf, IEnumerable<ModelPricing> models, IReadOnlyList<WebSearchFee> webSearchFees, IReadOnlyList<MultiplierRow> batch)
    {
        Name = name;
        AsOf = asOf;
        Models = [.. models.OrderBy(static m => m.Id, StringComparer.Ordinal)];
        WebSearchFees = webSearchFees;
        BatchMultipliers = batch;
        foreach (ModelPricing model in Models)
        {
            foreach (string key in model.Aliases.Prepend(model.Id))
            {
                if (_byIdOrAlias.TryGetValue(key, out ModelPricing? other) && !ReferenceEquals(other, model))
                {
                    throw new FormatException($"The model id or alias \"{key}\" is claimed by both \"{other.Id}\" and \"{model.Id}\".");
                }

                _byIdOrAlias[key] = model;
            }
        }
    }

    /// <summary>The catalog shipped inside Tally (parsed once, on first use).</summary>
    public static PriceCatalog Embedded => EmbeddedCatalog.Value;

    /// <summary>The catalog's own version string, as its file states it.</summary>
    public string Name { get; }

    /// <summary>
    /// <see cref="Name"/> plus a short stable hash of everything that affects a price (ids, aliases, dated rows,
    /// tiers, multipliers, fees), for example <c>2026-11-01+3fa2c07b91de</c>: an override that changes any price
    /// changes the version; one that changes nothing does not.
    /// </summary>
    /// <remarks>Computed on first use. The embedded catalog's hash is stored (<see cref="EmbeddedFingerprint"/>, checked
    /// by a test against the file): computing it needs SHA-256, and loading OpenSSL for it cost every command ~5 ms.</remarks>
    public string Version => _version ??= $"{Name}+{_pinnedFingerprint ?? CatalogFingerprint.Compute(this)}";

    /// <summary>The fingerprint of the embedded catalog file (<c>prices.json</c> in Tally.Core). When that file changes,
    /// <c>PriceCatalogTests</c> fails and names the new value to put here.</summary>
    internal const string EmbeddedFingerprint = "4869b5afbba9";

    /// <summary>The day the catalog as a whole was last checked, when stated.</summary>
    public DateOnly? AsOf { get; }

    /// <summary>Every model, sorted by id.</summary>
    public IReadOnlyList<ModelPricing> Models { get; }

    /// <summary>The web-search fee by day.</summary>
    public IReadOnlyList<WebSearchFee> WebSearchFees { get; }

    /// <summary>The batch discount by day (<c>usage.service_tier == "batch"</c>).</summary>
    public IReadOnlyList<MultiplierRow> BatchMultipliers { get; }

    /// <summary>Reads a catalog in Tally's format (the format of the embedded <c>catalog.json</c>).</summary>
    /// <param name="json">The catalog file's content.</param>
    /// <exception cref="FormatException">The file is not valid JSON or breaks a rule; the message names the JSON path and the problem.</exception>
    public static PriceCatalog Load(Stream json) => CatalogReader.Read(json);

    /// <summary>
    /// This catalog with <paramref name="overrides"/> laid over it. For a model in both (matched by id, or by an
    /// override id that is one of this catalog's aliases), each override row wins for its own range of days and this
    /// catalog's rows keep the days no override row covers; this holds separately for prices, long-context tiers and
    /// each kind of multiplier, so an override that gives only prices keeps the tiers. An override price row without a
    /// cache price keeps this catalog's published one when the input price is unchanged (otherwise the price is
    /// derived from the new input price). Models only in <paramref name="overrides"/> are added. Aliases are united.
    /// </summary>
    /// <param name="overrides">The user's corrections and additions.</param>
    /// <exception cref="FormatException">The merged catalog would give one id or alias to two models.</exception>
    public PriceCatalog Merge(PriceCatalog overrides) => CatalogMerger.Merge(this, overrides);

    /// <summary>The model <paramref name="model"/> names: the normalised id, else an alias, else the id without its date suffix.</summary>
    /// <param name="model">A model id in any supported form.</param>
    /// <returns>The model, or <see langword="null"/> when the catalog does not know it (or it is <c>&lt;synthetic&gt;</c>).</returns>
    public ModelPricing? Find(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ModelIds.IsFree(model) ? null : Resolve(model).Model;
    }

    /// <summary>
    /// Prices one call by the per-request formula: the price row for the call's UTC day (see
    /// <see cref="ModelPricing.PriceOn"/> for days outside every row); the long-context tier for the whole request when
    /// one is in force that day and the prompt exceeds its threshold; then the fast-mode, data-residency, batch and
    /// regional-endpoint multipliers; then the web-search fee, which is not multiplied. All in <see cref="decimal"/>.
    /// </summary>
    /// <param name="request">The call.</param>
    /// <returns>
    /// The quote. An unknown model is never priced as another one: cost 0 and <see cref="PriceStatus.Unpriced"/>.
    /// <c>&lt;synthetic&gt;</c> or a blank model is <see cref="PriceStatus.Free"/> at cost 0.
    /// </returns>
    public PriceQuote Price(PricingRequest request)
    {
        if (ModelIds.IsFree(request.Model))
        {
            return new PriceQuote(0m, PriceStatus.Free, null, false, Version);
        }

        Resolution resolution = Resolve(request.Model);
        DateOnly day = DateOnly.FromDateTime(request.Timestamp.UtcDateTime);
        ModelPricing? model = resolution.Model;
        PriceRow? row = model?.PriceOn(day);
        if (model is null || row is null)
        {
            return new PriceQuote(0m, PriceStatus.Unpriced, null, false, Version);
        }

        LongContextTier? tier = model.LongContextOn(day);
        bool isLong = tier is not null && request.Tokens.Prompt > tier.Threshold;
        decimal cost = (isLong ? tier!.Rates : row.Rates).CostOf(request.Tokens);
        if (Is(request.Speed, "fast"))
        {
            cost *= DatedRows.MultiplierOn(model.FastMode, day);
        }

        if (Is(request.InferenceGeo, "us"))
        {
            cost *= DatedRows.MultiplierOn(model.DataResidency, day);
        }

        if (Is(request.ServiceTier, "batch"))
        {
            cost *= DatedRows.MultiplierOn(BatchMultipliers, day);
        }

        if (resolution.RegionalEndpoint)
        {
            cost *= DatedRows.MultiplierOn(model.RegionalEndpoint, day);
        }

        if (request.WebSearchRequests > 0)
        {
            cost += request.WebSearchRequests * (DatedRows.Covering(WebSearchFees, day)?.UsdPer1000 ?? 0m) / 1000m;
        }

        return new PriceQuote(cost, PriceStatus.Priced, model.Id, isLong, Version);
    }

    /// <summary>The web-search fee per 1,000 searches in force on <paramref name="day"/> (0 when none).</summary>
    public decimal WebSearchFeeOn(DateOnly day) => DatedRows.Covering(WebSearchFees, day)?.UsdPer1000 ?? 0m;

    /// <summary>The batch multiplier in force on <paramref name="day"/> (1 when none).</summary>
    public decimal BatchMultiplierOn(DateOnly day) => DatedRows.MultiplierOn(BatchMultipliers, day);

    /// <summary>The model for an exact id or alias (no normalisation).</summary>
    internal ModelPricing? Lookup(string idOrAlias) => _byIdOrAlias.GetValueOrDefault(idOrAlias);

    private static bool Is(string? value, string expected) =>
        value is not null && value.AsSpan().Trim().Equals(expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>The embedded catalog, parsed, with its stored fingerprint (see <see cref="EmbeddedFingerprint"/>).</summary>
    internal static PriceCatalog LoadEmbedded(bool pinned = true)
    {
        using Stream stream = typeof(PriceCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from Tally.Core.");
        PriceCatalog catalog = Load(stream);
        catalog._pinnedFingerprint = pinned ? EmbeddedFingerprint : null;
        return catalog;
    }

    private Resolution Resolve(string raw)
    {
        if (_resolved.TryGetValue(raw, out Resolution cached))
        {
            return cached;
        }

        NormalizedModelId normalized = ModelIds.Normalize(raw);
        ModelPricing? model = Lookup(normalized.Id);
        if (model is null && ModelIds.DatelessBase(normalized.Id) is { } dateless)
        {
            model = Lookup(dateless);
        }

        Resolution resolution = new(model, normalized.RegionalEndpoint);
        if (raw.Length <= 256 && _resolved.Count < ResolveCacheLimit)
        {
            _resolved.TryAdd(raw, resolution);
        }

        return resolution;
    }

    private readonly record struct Resolution(ModelPricing? Model, bool RegionalEndpoint);
}
