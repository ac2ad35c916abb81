namespace Tally.Bench.Reports;

/// <summary>The four token fields both tools report (ccusage's <c>cacheCreationTokens</c> = 5-minute + 1-hour writes).</summary>
internal readonly record struct Tokens4(long Input, long Output, long CacheCreation, long CacheRead)
{
    public static readonly string[] FieldNames = ["input", "output", "cacheCreate", "cacheRead"];

    public long Total => Input + Output + CacheCreation + CacheRead;

    public long this[int field] => field switch
    {
        0 => Input,
        1 => Output,
        2 => CacheCreation,
        3 => CacheRead,
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    public static Tokens4 operator +(Tokens4 a, Tokens4 b) =>
        new(a.Input + b.Input, a.Output + b.Output, a.CacheCreation + b.CacheCreation, a.CacheRead + b.CacheRead);

    public static Tokens4 operator -(Tokens4 a, Tokens4 b) =>
        new(a.Input - b.Input, a.Output - b.Output, a.CacheCreation - b.CacheCreation, a.CacheRead - b.CacheRead);

    public static Tokens4 Add(Tokens4 a, Tokens4 b) => a + b;

    public static Tokens4 Subtract(Tokens4 a, Tokens4 b) => a - b;

    public bool IsZero => Input == 0 && Output == 0 && CacheCreation == 0 && CacheRead == 0;
}
