namespace Tally.Core.Usage;

/// <summary>The token counts of one billed model call, or a sum of many.</summary>
/// <param name="Input">Uncached input tokens (after the last cache breakpoint).</param>
/// <param name="Output">Output tokens, thinking included.</param>
/// <param name="CacheWrite5m">Tokens written to the 5-minute prompt cache.</param>
/// <param name="CacheWrite1h">Tokens written to the 1-hour prompt cache.</param>
/// <param name="CacheRead">Tokens read from the prompt cache.</param>
public readonly record struct TokenCounts(long Input, long Output, long CacheWrite5m, long CacheWrite1h, long CacheRead)
{
    /// <summary>All cache writes, 5-minute and 1-hour.</summary>
    public long CacheWrite => CacheWrite5m + CacheWrite1h;

    /// <summary>The request's whole prompt: input, cache writes and cache reads (what the long-context rule looks at).</summary>
    public long Prompt => Input + CacheWrite + CacheRead;

    /// <summary>Every token: the prompt and the output.</summary>
    public long Total => Prompt + Output;

    /// <summary>Adds two counts field by field.</summary>
    public static TokenCounts operator +(TokenCounts left, TokenCounts right) => new(
        left.Input + right.Input,
        left.Output + right.Output,
        left.CacheWrite5m + right.CacheWrite5m,
        left.CacheWrite1h + right.CacheWrite1h,
        left.CacheRead + right.CacheRead);

    /// <summary>
    /// The counts of an API <c>usage</c> object, with the cache-write rule every source shares: a usable 5m/1h split
    /// wins; a flat figure with no split, or with an all-zero split, counts as 5-minute writes; a flat figure larger than
    /// its split keeps the excess as 5-minute writes. The flat figure is never dropped.
    /// </summary>
    /// <param name="input">Uncached input tokens.</param>
    /// <param name="output">Output tokens.</param>
    /// <param name="cacheCreation">The flat <c>cache_creation_input_tokens</c>.</param>
    /// <param name="cacheRead">Cache reads.</param>
    /// <param name="split5m"><c>cache_creation.ephemeral_5m_input_tokens</c>, when given.</param>
    /// <param name="split1h"><c>cache_creation.ephemeral_1h_input_tokens</c>, when given.</param>
    /// <param name="splitMissing">True when the flat figure had no usable split (or exceeded it).</param>
    public static TokenCounts FromUsage(long input, long output, long cacheCreation, long cacheRead, long? split5m, long? split1h, out bool splitMissing)
    {
        var s5 = split5m ?? 0;
        var s1 = split1h ?? 0;
        var splitTotal = s5 + s1;
        if (splitTotal == 0)
        {
            splitMissing = cacheCreation > 0;
            return new TokenCounts(input, output, cacheCreation, 0, cacheRead);
        }

        if (cacheCreation > splitTotal)
        {
            splitMissing = true;
            return new TokenCounts(input, output, s5 + (cacheCreation - splitTotal), s1, cacheRead);
        }

        splitMissing = false;
        return new TokenCounts(input, output, s5, s1, cacheRead);
    }

    /// <summary>Adds two counts field by field.</summary>
    public static TokenCounts Add(TokenCounts left, TokenCounts right) => left + right;
}
