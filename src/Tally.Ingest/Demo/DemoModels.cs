namespace Tally.Ingest.Demo;

/// <summary>The model ids the corpus uses, with how often a session picks each (mostly Opus and Sonnet).</summary>
internal static class DemoModels
{
    public const string Synthetic = "<synthetic>";
    public const string Unknown = "claude-unknown-99";
    public const string Sonnet45 = "claude-sonnet-4-5-20250929";
    public const string Haiku45 = "claude-haiku-4-5-20251001";

    /// <summary>Every family in the pricing reference, the way Claude Code writes the ids.</summary>
    public static readonly string[] Main =
    [
        "claude-opus-4-6",
        "claude-opus-5",
        "claude-opus-4-5-20251101",
        "claude-opus-4-7",
        "claude-opus-4-8",
        "claude-opus-4-1-20250805",
        "claude-opus-4-20250514",
        Sonnet45,
        "claude-sonnet-4-6",
        "claude-sonnet-5",
        "claude-sonnet-4-20250514",
        Haiku45,
        "claude-3-5-haiku-20241022",
        "claude-fable-5",
        "claude-mythos-5",
    ];

    public static readonly double[] Weights =
    [
        20, 10, 8, 6, 6, 2, 1,
        16, 10, 8, 3,
        3, 1,
        2, 1,
    ];

    /// <summary>The model a subagent runs on: usually Haiku 4.5, otherwise its parent's.</summary>
    public static string ForSubagent(DemoRandom rng, string parentModel) =>
        parentModel == Unknown || rng.Chance(0.6) ? Haiku45 : parentModel;
}
