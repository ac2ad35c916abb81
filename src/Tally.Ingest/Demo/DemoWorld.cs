namespace Tally.Ingest.Demo;

/// <summary>Everything the sessions of one corpus share: options, the random sequence, writers and the ledger.</summary>
internal sealed class DemoWorld : IDisposable
{
    private static readonly string[] Versions = ["2.0.14", "2.0.31", "2.0.55", "2.1.12", "2.1.40", "2.1.63"];

    public DemoWorld(CorpusOptions options, string projectsDir)
    {
        Options = options;
        Rng = new DemoRandom(options.Seed);
        Text = new DemoText(Rng);
        Output = new DemoOutput(projectsDir);
        Tools = new DemoTools(this);
        FirstDay = options.EndDay.AddDays(1 - options.Days);
        LargeCap = Math.Clamp(options.TargetBytes / 8, 100_001L, 2_000_000L);
        NextLargeAt = (long)(Math.Min(options.TargetBytes, 1_500_000L) * (0.3 + (0.6 * Rng.NextDouble())));
    }

    public CorpusOptions Options { get; }

    public DemoRandom Rng { get; }

    public DemoText Text { get; }

    public DemoLines Lines { get; } = new();

    public DemoOutput Output { get; }

    public DemoLedger Ledger { get; } = new();

    public DemoTools Tools { get; }

    public DateOnly FirstDay { get; }

    /// <summary>Where each working directory's last session can be resumed from.</summary>
    public Dictionary<string, ResumePoint> ResumePoints { get; } = new(StringComparer.Ordinal);

    /// <summary>The largest line a very large tool result makes (smaller for tiny corpora).</summary>
    public long LargeCap { get; }

    /// <summary>The corpus size at which the next very large tool result is written.</summary>
    public long NextLargeAt { get; set; }

    /// <summary>Nothing may be written after this (the end of <see cref="CorpusOptions.EndDay"/>).</summary>
    public DateTime HardEnd => Options.EndDay.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>Claude Code's version on a day: newer as the history goes on.</summary>
    public string VersionOn(DateTime when)
    {
        int day = DateOnly.FromDateTime(when).DayNumber - FirstDay.DayNumber;
        int index = Math.Clamp(day * Versions.Length / Math.Max(1, Options.Days), 0, Versions.Length - 1);
        return Versions[index];
    }

    /// <summary>A timestamp for a line, in one of the formats Claude Code and its forks have written.</summary>
    public string Stamp(DateTime utc) => DemoTime.Format(utc, Rng, Options.IncludeOddTimestampFractions);

    public void Dispose() => Lines.Dispose();
}
