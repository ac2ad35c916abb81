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

    /// <summary>Adds two counts field by field.</summary>
    public static TokenCounts Add(TokenCounts left, TokenCounts right) => left + right;
}
