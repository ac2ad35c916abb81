using System.Collections.Concurrent;

namespace Tally.Core.Pricing;

/// <summary>Reduces the many spellings of a Claude model id (API, Bedrock, Vertex) to the Anthropic API form.</summary>
public static class ModelIds
{
    /// <summary>The id Claude Code writes on its own client-side messages, which cost nothing.</summary>
    public const string Synthetic = "<synthetic>";

    private const int CacheLimit = 4096;
    private const int CacheableLength = 256;

    private static readonly string[] RegionPrefixes = ["global.", "us.", "eu.", "jp.", "apac.", "au."];
    private static readonly ConcurrentDictionary<string, NormalizedModelId> Cache = new(StringComparer.Ordinal);

    /// <summary>
    /// Normalises <paramref name="raw"/>: trims and lower-cases it; strips one region prefix (<c>global.</c>,
    /// <c>us.</c>, <c>eu.</c>, <c>jp.</c>, <c>apac.</c>, <c>au.</c>) and then <c>anthropic.</c>; strips a trailing
    /// <c>-v&lt;digits&gt;</c> or <c>-v&lt;digits&gt;:&lt;digits&gt;</c>; turns a trailing <c>@YYYYMMDD</c> into
    /// <c>-YYYYMMDD</c> (so <c>claude-sonnet-4@20250514</c> becomes <c>claude-sonnet-4-20250514</c>). Runs in linear
    /// time without regular expressions; results are cached.
    /// </summary>
    /// <param name="raw">The model id as a source wrote it.</param>
    /// <returns>The normalised id and whether a Bedrock regional endpoint was used.</returns>
    public static NormalizedModelId Normalize(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (Cache.TryGetValue(raw, out NormalizedModelId? cached))
        {
            return cached;
        }

        NormalizedModelId result = Compute(raw);
        if (raw.Length <= CacheableLength && Cache.Count < CacheLimit)
        {
            Cache.TryAdd(raw, result);
        }

        return result;
    }

    /// <summary>True for <c>&lt;synthetic&gt;</c> and empty or blank ids: Claude Code's own messages.</summary>
    /// <param name="raw">The model id as a source wrote it.</param>
    public static bool IsFree(string? raw) =>
        string.IsNullOrWhiteSpace(raw) || raw.AsSpan().Trim().Equals(Synthetic, StringComparison.OrdinalIgnoreCase);

    /// <summary>The id without a trailing <c>-YYYYMMDD</c>, or <see langword="null"/> when it has none.</summary>
    /// <param name="id">A normalised id.</param>
    public static string? DatelessBase(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        const int suffix = 9; // "-YYYYMMDD"
        if (id.Length <= suffix || id[^suffix] != '-' || !AllDigits(id.AsSpan(id.Length - 8)))
        {
            return null;
        }

        return id[..^suffix];
    }

    private static NormalizedModelId Compute(string raw)
    {
#pragma warning disable CA1308 // Model ids are lower case by convention; lower-casing is the normalisation.
        string id = raw.Trim().ToLowerInvariant();
#pragma warning restore CA1308
        bool regional = false;
        foreach (string prefix in RegionPrefixes)
        {
            if (id.StartsWith(prefix, StringComparison.Ordinal))
            {
                id = id[prefix.Length..];
                regional = prefix != "global.";
                break;
            }
        }

        const string vendor = "anthropic.";
        if (id.StartsWith(vendor, StringComparison.Ordinal))
        {
            id = id[vendor.Length..];
        }

        id = StripVersionSuffix(id);
        int at = id.LastIndexOf('@');
        if (at > 0 && id.Length - at - 1 == 8 && AllDigits(id.AsSpan(at + 1)))
        {
            id = string.Concat(id.AsSpan(0, at), "-", id.AsSpan(at + 1));
        }

        return new NormalizedModelId(id, regional);
    }

    /// <summary>Strips a trailing <c>-v\d+(:\d+)?</c>, scanning from the end once.</summary>
    private static string StripVersionSuffix(string id)
    {
        int i = id.Length - 1;
        int digitsEnd = i;
        while (i >= 0 && char.IsAsciiDigit(id[i]))
        {
            i--;
        }

        if (i == digitsEnd)
        {
            return id; // no trailing digits
        }

        if (i >= 0 && id[i] == ':')
        {
            i--;
            int majorEnd = i;
            while (i >= 0 && char.IsAsciiDigit(id[i]))
            {
                i--;
            }

            if (i == majorEnd)
            {
                return id; // ":<digits>" without a major version
            }
        }

        if (i >= 1 && id[i] == 'v' && id[i - 1] == '-')
        {
            return id[..(i - 1)];
        }

        return id;
    }

    private static bool AllDigits(ReadOnlySpan<char> span)
    {
        foreach (char c in span)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return span.Length > 0;
    }
}
