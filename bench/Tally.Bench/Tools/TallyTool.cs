namespace Tally.Bench.Tools;

/// <summary>
/// Tally's CLI (<c>dotnet publish src/Tally.Cli -o DIR</c> gives <c>DIR/tally</c>). It reads the corpus from
/// <c>CLAUDE_CONFIG_DIR</c> and keeps its index in <c>TALLY_DATA_DIR</c>, both set by the <see cref="Sandbox"/>.
/// </summary>
internal sealed class TallyTool(string path) : ReportTool("tally", path)
{
    public override IReadOnlyList<string> Reports { get; } = ["daily", "weekly", "monthly", "session", "projects", "models"];

    public override IReadOnlyList<string> Arguments(string report) => [report, "--json", "--timezone", "UTC"];
}
