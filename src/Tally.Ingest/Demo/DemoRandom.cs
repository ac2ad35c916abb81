namespace Tally.Ingest.Demo;

/// <summary>
/// A small seeded generator (xoshiro256**, seeded through SplitMix64) whose sequence never changes between
/// .NET versions, so a corpus generated today is byte-identical to one generated after an upgrade.
/// </summary>
internal sealed class DemoRandom
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string Hex = "0123456789abcdef";

    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public DemoRandom(long seed)
    {
        ulong x = unchecked((ulong)seed);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A number in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An integer in [0, maxExclusive).</summary>
    public int Next(int maxExclusive) => maxExclusive <= 1 ? 0 : (int)(NextUInt64() % (ulong)maxExclusive);

    /// <summary>An integer in [min, maxInclusive].</summary>
    public int Between(int min, int maxInclusive) => min + Next(maxInclusive - min + 1);

    /// <summary>A long in [min, maxInclusive].</summary>
    public long Between(long min, long maxInclusive) =>
        maxInclusive <= min ? min : min + (long)(NextUInt64() % (ulong)(maxInclusive - min + 1));

    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>A value spread evenly on a log scale between min and max: many small ones, a few large.</summary>
    public double LogUniform(double min, double max) => min * Math.Exp(NextDouble() * Math.Log(max / min));

    public long LogUniform(long min, long max) => (long)LogUniform((double)min, (double)max);

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Picks an index with probability proportional to its weight.</summary>
    public int PickWeighted(IReadOnlyList<double> weights)
    {
        double total = 0;
        foreach (double w in weights)
        {
            total += w;
        }

        double r = NextDouble() * total;
        for (int i = 0; i < weights.Count; i++)
        {
            r -= weights[i];
            if (r < 0)
            {
                return i;
            }
        }

        return weights.Count - 1;
    }

    /// <summary>A random (version 4) UUID in lower-case text form.</summary>
    public string Uuid()
    {
        Span<char> chars = stackalloc char[36];
        ulong a = NextUInt64();
        ulong b = NextUInt64();
        int pos = 0;
        for (int i = 0; i < 32; i++)
        {
            if (i is 8 or 12 or 16 or 20)
            {
                chars[pos++] = '-';
            }

            ulong word = i < 16 ? a : b;
            int nibble = (int)((word >> ((15 - (i % 16)) * 4)) & 0xF);
            if (i == 12)
            {
                nibble = 4;
            }
            else if (i == 16)
            {
                nibble = 8 | (nibble & 3);
            }

            chars[pos++] = Hex[nibble];
        }

        return new string(chars);
    }

    /// <summary><paramref name="prefix"/> followed by <paramref name="length"/> base-62 characters.</summary>
    public string Base62Id(string prefix, int length)
    {
        return string.Create(prefix.Length + length, (this, prefix), static (span, state) =>
        {
            state.prefix.AsSpan().CopyTo(span);
            for (int i = state.prefix.Length; i < span.Length; i++)
            {
                span[i] = Base62[state.Item1.Next(Base62.Length)];
            }
        });
    }

    public string HexId(int length)
    {
        return string.Create(length, this, static (span, rng) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = Hex[rng.Next(16)];
            }
        });
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
