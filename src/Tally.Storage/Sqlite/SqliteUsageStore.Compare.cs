using System.Text;
using Tally.Core.Storage;

namespace Tally.Storage.Sqlite;

public sealed partial class SqliteUsageStore
{
    /// <inheritdoc />
    /// <remarks>Each row's path is decoded into one reused buffer and looked up among the given paths: no string or cursor
    /// is made for a file that has not changed (a warm sync of 45,000 transcripts made 45,000 of each).</remarks>
    public async Task<FileComparison> CompareFilesAsync(IReadOnlyList<FileState> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var positions = new Dictionary<string, int>(files.Count, StringComparer.Ordinal);
        var seen = new bool[files.Count];
        for (var i = 0; i < files.Count; i++)
        {
            // A path given twice is compared once (its later copies count as seen).
            seen[i] = !positions.TryAdd(files[i].Path, i);
        }

        var lookup = positions.GetAlternateLookup<ReadOnlySpan<char>>();
        var changed = new List<int>();
        var unseen = new List<string>();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var statement = new RawStatement(_connection, "SELECT path, size, mtime, missing FROM files;");
            var buffer = new char[1024];
            while (statement.Step())
            {
                var utf8 = statement.Bytes(0);
                if (Encoding.UTF8.GetMaxCharCount(utf8.Length) > buffer.Length)
                {
                    buffer = new char[Encoding.UTF8.GetMaxCharCount(utf8.Length)];
                }

                var path = buffer.AsSpan(0, Encoding.UTF8.GetChars(utf8, buffer));
                var missing = statement.Int64(3) != 0;
                if (lookup.TryGetValue(path, out var i))
                {
                    seen[i] = true;
                    if (missing || statement.Int64(1) != files[i].Size || statement.Int64(2) != files[i].ModifiedTicks)
                    {
                        changed.Add(i);
                    }
                }
                else if (!missing)
                {
                    unseen.Add(path.ToString());
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        for (var i = 0; i < seen.Length; i++)
        {
            if (!seen[i])
            {
                changed.Add(i);
            }
        }

        return new FileComparison(changed, unseen);
    }
}
