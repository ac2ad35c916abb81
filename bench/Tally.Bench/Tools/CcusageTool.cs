namespace Tally.Bench.Tools;

/// <summary>
/// The peer, ccusage 20 (its native binary: see <c>bench/install-peers.sh</c>), always offline with UTC days.
/// It has no projects or models report: <c>projects</c> maps to <c>daily --instances</c> (its per-project view) and
/// <c>models</c> to <c>daily</c> (whose rows carry the per-model breakdown).
/// </summary>
internal sealed class CcusageTool(string path) : ReportTool("ccusage", path)
{
    public override IReadOnlyList<string> Reports { get; } = ["daily", "weekly", "monthly", "session", "projects", "models"];

    public override IReadOnlyList<string> Arguments(string report) => report switch
    {
        "projects" => ["claude", "daily", "--instances", "--json", "--offline", "--timezone", "UTC"],
        "models" => ["claude", "daily", "--json", "--offline", "--timezone", "UTC"],
        _ => ["claude", report, "--json", "--offline", "--timezone", "UTC"],
    };
}
