using Tally.Bench.Common;

namespace Tally.Bench.Tools;

/// <summary>A usage tool the harness runs: how to ask it for a report in JSON over a sandboxed corpus.</summary>
internal abstract class ReportTool(string name, string path)
{
    public string Name { get; } = name;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public bool Exists => File.Exists(Path);

    /// <summary>The report names this tool answers (<c>daily</c>, <c>weekly</c>, ...).</summary>
    public abstract IReadOnlyList<string> Reports { get; }

    /// <summary>The arguments that print <paramref name="report"/> as JSON with UTC days.</summary>
    public abstract IReadOnlyList<string> Arguments(string report);

    /// <summary>What the command line looks like, for tables and JSON.</summary>
    public string Describe(string report) => $"{Name} {string.Join(' ', Arguments(report))}";

    public ProcessSpec Spec(string report, Sandbox sandbox) => new(Path, Arguments(report), sandbox.Environment());

    public ProcessResult Run(string report, Sandbox sandbox, TimeSpan timeout) => ProcessRunner.Run(Spec(report, sandbox), timeout);
}
