using System.Text;
using System.Text.RegularExpressions;

using Tally.Bench.Reports;
using Tally.Bench.Truth;

namespace Tally.Bench.Speed;

/// <summary>
/// Appends new history to a corpus the way a running Claude Code does: half to an existing session file, half to a
/// new session file beside it. The lines are copies of the existing file's lines with fresh message, request and
/// line ids (and a fresh session id in the new file), so they are new API calls to every tool. Knows the tokens it
/// added, and undoes everything on <see cref="Restore"/>.
/// </summary>
internal sealed partial class Appender
{
    private readonly string _target;
    private readonly long _originalLength;
    private readonly string[] _source;
    private readonly List<string> _newFiles = [];
    private int _round;

    public Appender(string corpusDir)
    {
        string projects = Path.Combine(corpusDir, "projects");
        _target = Directory.EnumerateDirectories(projects)
            .SelectMany(static d => Directory.EnumerateFiles(d, "*.jsonl"))
            .OrderByDescending(static f => new FileInfo(f).Length)
            .ThenBy(static f => f, StringComparer.Ordinal)
            .FirstOrDefault() ?? throw new IOException($"no session file under {projects}");
        _originalLength = new FileInfo(_target).Length;
        _source = [.. File.ReadLines(_target).Where(static l => l.Length is > 0 and < 64 * 1024)];
    }

    /// <summary>Appends about <paramref name="bytes"/> and returns the de-duplicated tokens of the calls added.</summary>
    public Tokens4 Append(long bytes)
    {
        _round++;
        var added = new List<string>();
        bool needsNewline = !EndsWithNewline(_target);
        using (var existing = new StreamWriter(_target, append: true, new UTF8Encoding(false)))
        {
            if (needsNewline)
            {
                existing.Write('\n');
            }

            added.AddRange(Write(existing, bytes / 2, newSession: null, seed: _round * 2));
        }

        string newSession = Guid.NewGuid().ToString();
        string newFile = Path.Combine(Path.GetDirectoryName(_target)!, newSession + ".jsonl");
        _newFiles.Add(newFile);
        using (var fresh = new StreamWriter(newFile, append: false, new UTF8Encoding(false)))
        {
            added.AddRange(Write(fresh, bytes - (bytes / 2), newSession, seed: (_round * 2) + 1));
        }

        return CorpusScanner.ScanLines(added).Aggregate(default(Tokens4), static (sum, c) => sum + TruthBook.ToTokens4(c.Tokens));
    }

    /// <summary>Cuts the existing file back to its length and deletes the new files.</summary>
    public void Restore()
    {
        using (var stream = new FileStream(_target, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(_originalLength);
        }

        foreach (string file in _newFiles)
        {
            File.Delete(file);
        }
    }

    private static bool EndsWithNewline(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (stream.Length == 0)
        {
            return true;
        }

        stream.Seek(-1, SeekOrigin.End);
        return stream.ReadByte() == '\n';
    }

    private IEnumerable<string> Write(StreamWriter writer, long bytes, string? newSession, int seed)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var written = new List<string>();
        long total = 0;
        for (int i = 0; total < bytes && _source.Length > 0; i++)
        {
            string line = Rewrite(_source[i % _source.Length], ids, newSession, seed);
            writer.Write(line);
            writer.Write('\n');
            written.Add(line);
            total += Encoding.UTF8.GetByteCount(line) + 1;
        }

        return written;
    }

    private static string Rewrite(string line, Dictionary<string, string> ids, string? newSession, int seed)
    {
        string rewritten = IdPattern().Replace(line, m =>
        {
            string old = m.Groups["value"].Value;
            if (!ids.TryGetValue(old, out string? fresh))
            {
                fresh = m.Groups["key"].Value is "uuid" or "parentUuid" ? Guid.NewGuid().ToString()
                    : $"{old[..Math.Min(old.Length, 12)]}bench{seed}x{ids.Count}";
                ids[old] = fresh;
            }

            return $"\"{m.Groups["key"].Value}\":\"{fresh}\"";
        });
        return newSession is null ? rewritten : SessionPattern().Replace(rewritten, $"\"sessionId\":\"{newSession}\"");
    }

    [GeneratedRegex("\"(?<key>uuid|parentUuid|requestId|id)\":\"(?<value>(msg_|req_)[A-Za-z0-9]+|[0-9a-f]{8}-[0-9a-f-]{27})\"")]
    private static partial Regex IdPattern();

    [GeneratedRegex("\"sessionId\":\"[^\"]+\"")]
    private static partial Regex SessionPattern();
}
