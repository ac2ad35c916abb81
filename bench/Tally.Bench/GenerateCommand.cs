using System.Diagnostics;
using System.Globalization;

using Tally.Ingest.Demo;

namespace Tally.Bench;

/// <summary><c>generate</c>: writes a synthetic Claude Code data directory and prints its summary as JSON.</summary>
internal static class GenerateCommand
{
    public const string Usage = """
        usage: tally-bench generate --out DIR [options]
          Writes a synthetic Claude Code data directory (DIR/projects/...) and prints its summary,
          with the expected de-duplicated totals per UTC day and model, as JSON on stdout.

          --out DIR                the data directory to create (DIR/projects must be absent or empty)
          --size SIZE              target size, decimal units: 800KB, 20MB, 100MB, 1GB (default 20MB)
          --seed N                 seed of the generator (default 1)
          --days N                 days of history (default 42)
          --end-day YYYY-MM-DD     the last day with activity (default: today, UTC)
          --projects N             number of projects (default 5)
          --no-long-context        no Sonnet 4.5 requests with a prompt above 200k tokens
          --no-web-search          no web searches
          --no-idless-duplicates   no lines without message.id written twice
          --no-unknown-model       no requests from a model no catalog prices
          --no-zero-cache-split    no all-zero cache_creation split beside a non-zero flat figure
          --no-odd-timestamps      timestamp fractions only ever milliseconds (or none)
          --no-midnight-straddles  no streamed response whose lines straddle midnight UTC
          --peer-comparable        every --no-... switch above except --no-unknown-model: what ccusage counts exactly
          --lean                   tool results of a few hundred bytes, no very large lines (several times more calls per byte)
          --malformed              add truncated, blank and non-JSON lines, and a half-written last line
          --quiet                  no progress on stderr
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        CorpusOptions options;
        string? outDir;
        bool quiet;
        try
        {
            (options, outDir, quiet) = Parse(args);
        }
        catch (FormatException e)
        {
            stderr.WriteLine($"{e.Message}\n\n{Usage}");
            return 2;
        }

        if (outDir is null)
        {
            stderr.WriteLine($"--out is required\n\n{Usage}");
            return 2;
        }

        var watch = Stopwatch.StartNew();
        var progress = new ConsoleProgress(stderr, options.TargetBytes, quiet);
        CorpusSummary summary;
        try
        {
            summary = new CorpusGenerator(progress).Write(outDir, options);
        }
        catch (IOException e)
        {
            stderr.WriteLine(e.Message);
            return 1;
        }

        SummaryJson.Write(stdout, summary, watch.Elapsed);
        return 0;
    }

    private static (CorpusOptions Options, string? OutDir, bool Quiet) Parse(string[] args)
    {
        var options = new CorpusOptions
        {
            EndDay = DateOnly.FromDateTime(DateTime.UtcNow),
            TargetBytes = 20_000_000,
        };
        string? outDir = null;
        bool quiet = false;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--out" => Keep(options, () => outDir = Value()),
                "--size" => options with { TargetBytes = ParseSize(Value()) },
                "--seed" => options with { Seed = ParseInt(Value()) },
                "--days" => options with { Days = ParseInt(Value()) },
                "--projects" => options with { Projects = ParseInt(Value()) },
                "--end-day" => options with { EndDay = DateOnly.ParseExact(Value(), "yyyy-MM-dd", CultureInfo.InvariantCulture) },
                "--no-long-context" => options with { IncludeLongContext = false },
                "--no-web-search" => options with { IncludeWebSearch = false },
                "--no-idless-duplicates" => options with { IncludeIdlessDuplicates = false },
                "--no-unknown-model" => options with { IncludeUnknownModel = false },
                "--no-zero-cache-split" => options with { IncludeZeroCacheSplit = false },
                "--no-odd-timestamps" => options with { IncludeOddTimestampFractions = false },
                "--no-midnight-straddles" => options with { IncludeMidnightStraddles = false },
                "--peer-comparable" => options.WithoutPeerBlindSpots(),
                "--malformed" => options with { IncludeMalformedLines = true },
                "--lean" => options with { Lean = true },
                "--quiet" => Keep(options, () => quiet = true),
                _ => throw new FormatException($"unknown option '{args[i]}'"),
            };
        }

        return (options, outDir, quiet);
    }

    private static CorpusOptions Keep(CorpusOptions options, Action sideEffect)
    {
        sideEffect();
        return options;
    }

    private static int ParseInt(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new FormatException($"'{text}' is not a positive whole number");

    /// <summary>Parses <c>800KB</c>, <c>20MB</c>, <c>1.5GB</c>, <c>123456</c> (decimal units).</summary>
    internal static long ParseSize(string text)
    {
        string t = text.Trim().ToUpperInvariant();
        (string unit, long factor) = t.EndsWith("GB", StringComparison.Ordinal) ? ("GB", 1_000_000_000L)
            : t.EndsWith("MB", StringComparison.Ordinal) ? ("MB", 1_000_000L)
            : t.EndsWith("KB", StringComparison.Ordinal) ? ("KB", 1_000L)
            : t.EndsWith('B') ? ("B", 1L)
            : ("", 1L);
        string number = t[..^unit.Length];
        return double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) && value > 0
            ? (long)(value * factor)
            : throw new FormatException($"'{text}' is not a size (e.g. 800KB, 20MB, 1GB)");
    }

    /// <summary>Prints every tenth of the target reached, so a multi-gigabyte run shows it is alive.</summary>
    private sealed class ConsoleProgress(TextWriter stderr, long target, bool quiet) : IProgress<long>
    {
        private long _next = target / 10;

        public void Report(long value)
        {
            if (quiet || value < _next)
            {
                return;
            }

            stderr.WriteLine($"generate: {value / 1_000_000.0:F1} MB of {target / 1_000_000.0:F1} MB");
            _next = value + (target / 10);
        }
    }
}
