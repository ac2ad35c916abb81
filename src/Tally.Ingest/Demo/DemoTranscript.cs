namespace Tally.Ingest.Demo;

/// <summary>A line kept so a later session can resume from it: its exact bytes, and whether it carries usage.</summary>
internal readonly record struct RecordedLine(byte[] Bytes, bool HasUsage);

/// <summary>The last turns of a session, which a resumed session copies verbatim into its own file.</summary>
internal sealed record ResumePoint(IReadOnlyList<RecordedLine> Lines, string LastUuid, DateTime LastTime, string Title);

/// <summary>
/// One transcript being written: its file, the shared line fields, and (for main sessions) the lines of its
/// last turns, kept for resuming when they are small.
/// </summary>
internal sealed class DemoTranscript(DemoFile file, DemoThread thread, bool record)
{
    private const int MaxRecordedTurnBytes = 256 * 1024;

    private readonly List<RecordedLine> _turn = [];
    private readonly Queue<List<RecordedLine>> _lastTurns = new();
    private long _turnBytes;
    private bool _turnTooBig;

    public DemoFile File { get; } = file;

    public DemoThread Thread { get; } = thread;

    /// <summary>Writes a line; a line with a <paramref name="uuid"/> becomes the parent of the next.</summary>
    public void Write(ReadOnlySpan<byte> line, string? uuid, bool hasUsage = false)
    {
        File.WriteLine(line);
        if (uuid is not null)
        {
            Thread.ParentUuid = uuid;
        }

        if (!record || _turnTooBig)
        {
            return;
        }

        _turnBytes += line.Length + 1;
        if (_turnBytes > MaxRecordedTurnBytes)
        {
            _turnTooBig = true;
            _turn.Clear();
            return;
        }

        _turn.Add(new RecordedLine(line.ToArray(), hasUsage));
    }

    /// <summary>Writes a line that is never copied into a resumed session (a malformed one).</summary>
    public void WriteUnrecorded(ReadOnlySpan<byte> line) => File.WriteLine(line);

    public void EndTurn()
    {
        if (record)
        {
            _lastTurns.Enqueue(_turnTooBig ? [] : [.. _turn]);
            if (_lastTurns.Count > 2)
            {
                _lastTurns.Dequeue();
            }
        }

        _turn.Clear();
        _turnBytes = 0;
        _turnTooBig = false;
    }

    /// <summary>The session's last complete turns, when the very last one was small enough to keep.</summary>
    public ResumePoint? ToResumePoint(DateTime lastTime, string title)
    {
        if (!record || _lastTurns.Count == 0 || _lastTurns.Last().Count == 0 || Thread.ParentUuid is null)
        {
            return null;
        }

        var lines = _lastTurns.Where(static t => t.Count > 0).SelectMany(static t => t).ToArray();
        return new ResumePoint(lines, Thread.ParentUuid, lastTime, title);
    }
}
