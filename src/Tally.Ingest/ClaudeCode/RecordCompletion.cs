using System.IO.Hashing;
using Tally.Core.Pricing;
using Tally.Core.Usage;

namespace Tally.Ingest.ClaudeCode;

/// <summary>
/// What a record read by a sync carries beyond its line: its project, its price, and a content hash that also covers
/// what the file's path added. Given to the parser in the <see cref="SourceContext"/> so that each record is built
/// once, whole. Belongs to one read of one file (it remembers the file's last working directory and its project).
/// </summary>
/// <param name="catalog">Prices the records.</param>
/// <param name="projects">Maps a working directory to its project.</param>
/// <param name="fallbackProject">The project of a line without a working directory (the file's project folder).</param>
internal sealed class RecordCompletion(PriceCatalog catalog, ProjectResolver projects, string? fallbackProject)
{
    private bool _resolved;
    private string? _cwd;
    private string? _project;

    /// <summary>The project of <paramref name="cwd"/>; the last one again when the line has the same string (the file's
    /// lines share their strings, see <see cref="FileStrings"/>).</summary>
    public string? Project(string? cwd)
    {
        if (!_resolved || !ReferenceEquals(cwd, _cwd))
        {
            _project = projects.Resolve(cwd, fallbackProject);
            _cwd = cwd;
            _resolved = true;
        }

        return _project;
    }

    /// <summary>The price of a call.</summary>
    public PriceQuote Price(string model, DateTimeOffset timestamp, TokenCounts tokens, int webSearchRequests, string? serviceTier, string? speed, string? inferenceGeo) =>
        catalog.Price(new PricingRequest
        {
            Model = model,
            Timestamp = timestamp,
            Tokens = tokens,
            WebSearchRequests = webSearchRequests,
            ServiceTier = serviceTier,
            Speed = speed,
            InferenceGeo = inferenceGeo,
        });

    /// <summary>
    /// The line's hash re-hashed with the session, agent and project the record ended up with. The same bytes in two
    /// files can mean two things (a subagent's line copied into another file takes its session or agent from the
    /// path): the tie-break covers what the path added, so the winner does not depend on which file was read first.
    /// </summary>
    public static ulong TieBreak(string? sessionId, string? agentId, string? project, ulong lineHash) =>
        XxHash3.HashToUInt64(System.Text.Encoding.UTF8.GetBytes($"{sessionId}\0{agentId}\0{project}"), unchecked((long)lineHash));
}
