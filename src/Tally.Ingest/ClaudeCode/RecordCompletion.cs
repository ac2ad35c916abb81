using System.IO.Hashing;
using System.Text;
using Tally.Core.Pricing;
using Tally.Core.Usage;

namespace Tally.Ingest.ClaudeCode;

/// <summary>
/// What a record read by a sync carries beyond its line: its project, its price, and a content hash that also covers
/// what the file's path added. Given to the parser in the <see cref="SourceContext"/> so that each record is built
/// once, whole. Belongs to one read of one file (it remembers the file's last working directory and its project, its
/// last quote, and the last bytes of its content-hash tie-break).
/// </summary>
/// <param name="catalog">Prices the records.</param>
/// <param name="projects">Maps a working directory to its project.</param>
/// <param name="fallbackProject">The project of a line without a working directory (the file's project folder).</param>
internal sealed class RecordCompletion(PriceCatalog catalog, ProjectResolver projects, string? fallbackProject)
{
    private bool _resolved;
    private string? _cwd;
    private string? _project;
    private PriceQuote? _quote;
    private PricingRequest _quoted;
    private bool _tieKnown;
    private string? _tieSession;
    private string? _tieAgent;
    private string? _tieProject;
    private byte[] _tieBytes = [];
    private int _tieLength;

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

    /// <summary>The price of a call: the last quote again when the call is priced as the last one was (the lines of one
    /// response repeat its usage). A quote depends on the request's fields and its UTC day, not its time of day (see
    /// <see cref="PriceCatalog.Price"/>), and is immutable.</summary>
    public PriceQuote Price(PricingRequest request)
    {
        if (_quote is null || !SamePrice(_quoted, request))
        {
            _quote = catalog.Price(request);
            _quoted = request;
        }

        return _quote;
    }

    private static bool SamePrice(PricingRequest last, PricingRequest next) =>
        DateOnly.FromDateTime(last.Timestamp.UtcDateTime) == DateOnly.FromDateTime(next.Timestamp.UtcDateTime)
        && last with { Timestamp = next.Timestamp } == next;

    /// <summary>
    /// The line's hash re-hashed (as the seed) with the UTF-8 of <c>session \0 agent \0 project</c> (a missing part
    /// empty). The same bytes in two files can mean two things (a subagent's line copied into another file takes its
    /// session or agent from the path): the tie-break covers what the path added, so the winner does not depend on
    /// which file was read first. Indexes hold these values: the bytes hashed must never change. They are encoded
    /// again only when one of the three strings is another instance than the last line's.
    /// </summary>
    public ulong TieBreak(string? sessionId, string? agentId, string? project, ulong lineHash)
    {
        if (!_tieKnown || !ReferenceEquals(sessionId, _tieSession) || !ReferenceEquals(agentId, _tieAgent) || !ReferenceEquals(project, _tieProject))
        {
            // Each part encodes alone as it would inside the joined string: the '\0' between them is never half of a
            // surrogate pair.
            var utf8 = Encoding.UTF8;
            var length = utf8.GetByteCount(sessionId ?? "") + utf8.GetByteCount(agentId ?? "") + utf8.GetByteCount(project ?? "") + 2;
            if (_tieBytes.Length < length)
            {
                _tieBytes = new byte[Math.Max(length, 256)];
            }

            var bytes = _tieBytes.AsSpan();
            var at = utf8.GetBytes(sessionId ?? "", bytes);
            bytes[at++] = 0;
            at += utf8.GetBytes(agentId ?? "", bytes[at..]);
            bytes[at++] = 0;
            at += utf8.GetBytes(project ?? "", bytes[at..]);
            (_tieSession, _tieAgent, _tieProject, _tieLength, _tieKnown) = (sessionId, agentId, project, at, true);
        }

        return XxHash3.HashToUInt64(_tieBytes.AsSpan(0, _tieLength), unchecked((long)lineHash));
    }
}
