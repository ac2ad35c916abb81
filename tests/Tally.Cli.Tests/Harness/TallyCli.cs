using Spectre.Console;
using Spectre.Console.Testing;
using Tally.Cli.App;
using Tally.Core.Pricing;

namespace Tally.Cli.Tests.Harness;

/// <summary>
/// Runs <c>tally</c> in-process against a world of its own: a temporary home, data and configuration directory, the
/// sample Claude Code data (or none), a fixed clock and a fixed time zone. The real environment is never read.
/// </summary>
internal sealed class TallyCli : IDisposable
{
    /// <summary>"Now" for the sample data: 2026-11-20 12:00 UTC.</summary>
    public static readonly DateTimeOffset FixtureNow = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _temp = new();

    /// <summary>A world whose Claude Code data is the sample (CLAUDE_CONFIG_DIR), or with none at all.</summary>
    public TallyCli(bool noClaudeData = false)
    {
        Directory.CreateDirectory(Home);
        Variables = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["HOME"] = Home,
            ["TALLY_DATA_DIR"] = DataDir,
            ["TALLY_CONFIG_DIR"] = ConfigDir,
            ["CLAUDE_CONFIG_DIR"] = noClaudeData ? null : TestData.ClaudeSample,
        };
    }

    /// <summary>The temporary folder everything of this world lives in.</summary>
    public string Root => _temp.Path;

    /// <summary>$HOME.</summary>
    public string Home => Path.Combine(Root, "home");

    /// <summary>$TALLY_DATA_DIR.</summary>
    public string DataDir => Path.Combine(Root, "data");

    /// <summary>$TALLY_CONFIG_DIR.</summary>
    public string ConfigDir => Path.Combine(Root, "config");

    /// <summary>The environment variables the run sees (nothing else is set).</summary>
    public Dictionary<string, string?> Variables { get; }

    /// <summary>The clock.</summary>
    public FakeClock Clock { get; } = new(FixtureNow);

    /// <summary>The wall clock directory listings are timed with (the system's; a test moves it on so that the directories
    /// it just wrote count as settled).</summary>
    public TimeProvider FileClock { get; set; } = TimeProvider.System;

    /// <summary>The zone used when neither a flag nor config.json names one.</summary>
    public TimeZoneInfo LocalZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>The width of both consoles, in columns.</summary>
    public int Width { get; set; } = 160;

    /// <summary>Copies the sample data under this world (so it can be changed) and points CLAUDE_CONFIG_DIR at the copy.</summary>
    public string CopySample()
    {
        var target = Path.Combine(Root, "claude");
        foreach (var file in Directory.EnumerateFiles(TestData.ClaudeSample, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(TestData.ClaudeSample, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        Variables["CLAUDE_CONFIG_DIR"] = target;
        return target;
    }

    /// <summary>Writes <c>config.json</c>.</summary>
    public string WriteConfig(string json) => Write(Path.Combine(ConfigDir, "config.json"), json);

    /// <summary>Writes <c>prices.json</c>.</summary>
    public string WritePrices(string json) => Write(Path.Combine(ConfigDir, "prices.json"), json);

    /// <summary>Writes a file under this world's root.</summary>
    public string WriteFile(string relative, string content) => Write(Path.Combine(Root, relative), content);

    /// <summary>Runs <c>tally</c> with <paramref name="args"/>.</summary>
    public Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync(string.Empty, args);

    /// <summary>Runs <c>tally</c> with <paramref name="args"/> and <paramref name="stdin"/> on standard input.</summary>
    public async Task<CliResult> RunWithInputAsync(string stdin, params string[] args)
    {
        using var console = NewConsole();
        using var error = NewConsole();
        using var output = new StringWriter();
        using var errorWriter = new StringWriter();
        using var input = new StringReader(stdin);
        var environment = Environment(console, error, output, errorWriter) with { In = input };
        var code = await TallyApp.RunAsync(args, environment);
        return new CliResult(code, output.ToString(), console.Output, error.Output + errorWriter);
    }

    /// <summary>This world's environment, writing to the given consoles and writers (for tests that drive a run
    /// in-process without the command line).</summary>
    public TallyEnvironment Environment(TestConsole console, TestConsole error, TextWriter output, TextWriter errorWriter) => new()
    {
        Out = output,
        Console = console,
        ErrorWriter = errorWriter,
        Error = error,
        Variable = name => Variables.GetValueOrDefault(name),
        Clock = Clock,
        FileClock = FileClock,
        LocalZone = LocalZone,
    };

    /// <summary>A test console as wide as <see cref="Width"/>, without colours.</summary>
    public TestConsole NewConsole()
    {
        var console = new TestConsole().Width(Width).Colors(ColorSystem.NoColors).SupportsUnicode(true);
        console.EmitAnsiSequences = false;
        return console;
    }

    /// <summary>
    /// Replaces this world's temporary root with <c>&lt;tmp&gt;</c> and the embedded catalog's version (a hash of every
    /// price, changed by any edit to any model) with <c>&lt;catalog&gt;</c>, so snapshots hold only what they test.
    /// </summary>
    public string Scrub(string text) => text
        .Replace(Root, "<tmp>", StringComparison.Ordinal)
        .Replace(PriceCatalog.Embedded.Version, "<catalog>", StringComparison.Ordinal)
        .Replace(PriceCatalog.Embedded.Version.Replace("+", "\\u002B", StringComparison.Ordinal), "<catalog>", StringComparison.Ordinal);

    public void Dispose() => _temp.Dispose();

    private static string Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }
}
