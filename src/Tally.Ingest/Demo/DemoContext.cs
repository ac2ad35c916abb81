namespace Tally.Ingest.Demo;

/// <summary>
/// The prompt of one conversation as the API sees it: what is cached, what was added since the last call, and
/// when the cache expires. Turns the conversation's growth into each call's input, cache write and cache read.
/// </summary>
internal sealed class DemoContext(DemoRandom rng, CacheSplit split, bool longContext)
{
    /// <summary>Above this (pending included) the conversation is compacted, so normal prompts stay below 200k.</summary>
    private const long CompactAt = 155_000;

    /// <summary>Long-context (1M beta) conversations grow past 200k before compacting.</summary>
    private const long LongCompactAt = 480_000;

    /// <summary>What Claude Code sends at most of one tool result (it truncates the rest).</summary>
    private const long MaxToolTokens = 25_000;

    private long _cached;
    private long _pending;
    private DateTime? _lastCall;

    public CacheSplit Split { get; } = split;

    public bool LongContext { get; } = longContext;

    /// <summary>The prompt tokens before the next call (cached plus pending).</summary>
    public long Size => _cached + _pending;

    /// <summary>Starts the conversation: system prompt and tools, plus any history (a resumed or long session).</summary>
    public void Begin(long history)
    {
        _pending = rng.Between(12_000L, 22_000L) + history;
    }

    public void Add(long tokens) => _pending += tokens;

    public void AddToolResult(int chars) => _pending += Math.Min(chars / 3 + 20, MaxToolTokens);

    /// <summary>True when the next call would overflow: the caller writes a compaction and calls <see cref="Compact"/>.</summary>
    public bool NeedsCompaction => Size > (LongContext ? LongCompactAt : CompactAt);

    public void Compact()
    {
        _cached = 0;
        _pending = rng.Between(14_000L, 30_000L);
    }

    /// <summary>Fills in the call's input and cache figures, and moves the pending tokens into the cache.</summary>
    public void Charge(DemoCall call, DateTime at)
    {
        TimeSpan ttl = Split == CacheSplit.FiveMinute ? TimeSpan.FromMinutes(5) : TimeSpan.FromHours(1);
        bool expired = _lastCall is { } last && at - last > ttl;
        long read;
        if (_lastCall is null || expired)
        {
            // A cold or expired cache still hits the shared system-prompt prefix most of the time.
            long prefix = Math.Min(Size, rng.Between(9_000L, 14_000L));
            read = rng.Chance(0.75) ? prefix : 0;
        }
        else
        {
            read = _cached;
        }

        long write = Size - read;
        double r = rng.NextDouble();
        long input = r < 0.85 ? rng.Between(1, 9) : r < 0.95 ? rng.Between(10, 400) : rng.Between(400, 4_000);
        if (!LongContext && read + write + input > 200_000)
        {
            throw new InvalidOperationException("A normal request grew past 200k tokens; compaction should have run.");
        }

        call.Input = input;
        call.CacheRead = read;
        call.CacheWrite = write;
        _cached = read + write + input;
        _pending = 0;
        _lastCall = at;
    }

    /// <summary>The response's output becomes part of the next prompt.</summary>
    public void Answered(long output) => _pending += output;
}
