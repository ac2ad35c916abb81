using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Testing;
using Tally.Cli.App;

namespace Tally.Server.Tests.Harness;

/// <summary>Runs <c>tally</c> in-process over some Claude Code data, with an index of its own (built from the same transcripts).</summary>
internal sealed class TallyCli : IDisposable
{
    private readonly TempDirectory _temp = new();

    public TallyCli(string claudeDir, TimeProvider clock)
    {
        Clock = clock;
        Variables = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["HOME"] = Path.Combine(_temp.Path, "home"),
            ["TALLY_DATA_DIR"] = Path.Combine(_temp.Path, "data"),
            ["TALLY_CONFIG_DIR"] = Path.Combine(_temp.Path, "config"),
            ["CLAUDE_CONFIG_DIR"] = claudeDir,
        };
        Directory.CreateDirectory(Variables["HOME"]!);
    }

    public Dictionary<string, string?> Variables { get; }

    public TimeProvider Clock { get; }

    public string ConfigDir => Variables["TALLY_CONFIG_DIR"]!;

    /// <summary>Runs the command and returns (exit code, raw stdout, rendered stdout, stderr).</summary>
    public async Task<(int Code, string Out, string Console, string Error)> RunAsync(string[] args, CancellationToken cancellationToken = default, TestConsole? console = null)
    {
        console ??= NewConsole();
        var error = NewConsole();
        using var output = new StringWriter();
        using var errorWriter = new StringWriter();
        var environment = Environment(output, console, errorWriter, error);
        var code = await TallyApp.RunAsync(args, environment, cancellationToken);
        return (code, output.ToString(), console.Output, error.Output + errorWriter);
    }

    /// <summary>Runs a command with <c>--json</c> output and parses it.</summary>
    public async Task<JsonElement> JsonAsync(params string[] args)
    {
        var (code, output, _, error) = await RunAsync(args);
        Assert.True(code == 0, $"tally {string.Join(' ', args)}: exit {code}\n{error}");
        using var document = JsonDocument.Parse(output);
        return document.RootElement.Clone();
    }

    /// <summary>The environment a command runs in: these variables and clock, and the given outputs.</summary>
    public TallyEnvironment Environment(TextWriter output, TestConsole console, TextWriter errorWriter, TestConsole error) => new()
    {
        Out = output,
        Console = console,
        ErrorWriter = errorWriter,
        Error = error,
        Variable = name => Variables.GetValueOrDefault(name),
        Clock = Clock,
        LocalZone = TimeZoneInfo.Utc,
    };

    public static TestConsole NewConsole()
    {
        var console = new TestConsole().Width(200).Colors(ColorSystem.NoColors).SupportsUnicode(true);
        console.EmitAnsiSequences = false;
        return console;
    }

    public void Dispose() => _temp.Dispose();
}
