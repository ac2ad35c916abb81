using System.Text.Json;

namespace Tally.Cli.Tests.Harness;

/// <summary>What one in-process run of <c>tally</c> produced.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Out">Raw standard output (JSON, CSV, the parser's help).</param>
/// <param name="Console">Standard output for people (tables, messages), as rendered.</param>
/// <param name="Error">Standard error: the rendered warnings and errors, then the parser's raw messages.</param>
internal sealed record CliResult(int ExitCode, string Out, string Console, string Error)
{
    /// <summary>Standard output parsed as JSON, after checking the run succeeded.</summary>
    public JsonElement Json()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}; stderr:\n{Error}");
        using var document = JsonDocument.Parse(Out);
        return document.RootElement.Clone();
    }

    /// <summary>Everything written to standard output, raw then rendered.</summary>
    public string Stdout => Out + Console;

    /// <inheritdoc />
    public override string ToString() => $"exit {ExitCode}\n--- out\n{Out}\n--- console\n{Console}\n--- error\n{Error}";
}
