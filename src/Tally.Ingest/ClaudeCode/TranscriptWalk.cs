using System.IO.Enumeration;
using Tally.Core.Storage;

namespace Tally.Ingest.ClaudeCode;

/// <summary>
/// One search of <c>projects/</c> folders, level by level: each directory costs one stat, plus a listing only when its
/// stamp differs from a settled listing's; each transcript costs one stat. See <see cref="ClaudeDataLocator.Discover(IReadOnlyList{string}, IReadOnlyList{DirectoryListing}, TimeProvider)"/>.
/// </summary>
internal sealed class TranscriptWalk
{
    private static readonly EnumerationOptions ListOptions = new()
    {
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        MatchType = MatchType.Simple,
    };

    private readonly Dictionary<string, DirectoryListing> _known;
    private readonly long _nowNs;
    private readonly HashSet<string>? _visited;
    private readonly List<TranscriptFile> _files = [];
    private readonly List<DirectoryListing> _listed = [];

    /// <param name="known">The listings the last sync kept.</param>
    /// <param name="nowNs">The wall clock, in nanoseconds since the Unix epoch, read before any directory's stamp.</param>
    /// <param name="distinctRoots">True when the folders walked cannot overlap (one root): no directory is visited twice,
    /// so none needs remembering.</param>
    public TranscriptWalk(IReadOnlyList<DirectoryListing> known, long nowNs, bool distinctRoots)
    {
        _known = new Dictionary<string, DirectoryListing>(known.Count, StringComparer.Ordinal);
        foreach (var listing in known)
        {
            _known[listing.Path] = listing;
        }

        _nowNs = nowNs;
        _visited = distinctRoots ? null : new HashSet<string>(StringComparer.Ordinal);
    }

    public List<TranscriptFile> Files => _files;

    public List<DirectoryListing> Listed => _listed;

    public int DirectoriesListed { get; private set; }

    public int DirectoriesReused { get; private set; }

    /// <summary>Finds every transcript under <paramref name="folder"/>; returns how many (not found by an earlier walk).</summary>
    public int Walk(string folder)
    {
        var found = _files.Count;
        List<string> level = _visited is null || _visited.Add(folder) ? [folder] : [];
        var top = true;
        while (level.Count > 0)
        {
            var visits = new Visit?[level.Count];
            var root = top;
            if (level.Count == 1)
            {
                visits[0] = Look(level[0], root);
            }
            else
            {
                Parallel.For(0, level.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => visits[i] = Look(level[i], root));
            }

            var next = new List<string>();
            foreach (var visit in visits)
            {
                if (visit is null)
                {
                    continue;
                }

                _known.Remove(visit.Path);
                if (visit.Fresh is { IsSettled: true } fresh)
                {
                    // A listing taken too soon after the directory's last change could never be trusted: keeping it would
                    // only write to the index on every run until it settles.
                    _listed.Add(fresh);
                }

                if (visit.Listed)
                {
                    DirectoriesListed++;
                }
                else
                {
                    DirectoriesReused++;
                }

                _files.AddRange(visit.Files);
                foreach (var name in visit.Directories)
                {
                    var path = Path.Join(visit.Path, name);
                    if (_visited is null || _visited.Add(path))
                    {
                        next.Add(path);
                    }
                }
            }

            level = next;
            top = false;
        }

        return _files.Count - found;
    }

    /// <summary>The kept listings of directories under <paramref name="folders"/> that no walk visited (they are gone).</summary>
    public List<string> Gone(IEnumerable<string> folders)
    {
        var under = folders.Select(static f => (Self: f, Prefix: f.EndsWith(Path.DirectorySeparatorChar) ? f : f + Path.DirectorySeparatorChar)).ToList();
        return [.. _known.Keys.Where(k => under.Any(u => k == u.Self || k.StartsWith(u.Prefix, StringComparison.Ordinal)))];
    }

    /// <summary>Stats a directory, lists it unless a settled listing with its stamp is known, and stats its transcripts.
    /// Null when the directory is gone (or is not one).</summary>
    private Visit? Look(string path, bool root)
    {
        DirectoryListing? fresh = null;
        var listed = true;
        (IReadOnlyList<string> Files, IReadOnlyList<string> Directories)? entries;
        if (!FileStat.Supported)
        {
            entries = List(path);
        }
        // The stamp is taken before the listing: an entry added after it moves the directory's times past it.
        else if (!FileStat.TryDirectory(path, followLinks: root, out var stamp))
        {
            return null;
        }
        else if (_known.TryGetValue(path, out var known) && known.StillHolds(stamp))
        {
            (entries, listed) = ((known.Files, known.Directories), false);
        }
        else
        {
            entries = List(path);
            if (entries is { } e)
            {
                fresh = new DirectoryListing { Path = path, Stamp = stamp, ListedAtNs = _nowNs, Files = e.Files, Directories = e.Directories };
            }
        }

        if (entries is not var (names, directories))
        {
            return null;
        }

        var files = new List<TranscriptFile>(names.Count);
        foreach (var name in names)
        {
            var file = Path.Join(path, name);
            if (Stat(file) is { } found)
            {
                files.Add(found);
            }
        }

        return new Visit(path, files, directories, fresh, listed);
    }

    private static TranscriptFile? Stat(string path)
    {
        if (FileStat.Supported)
        {
            return FileStat.TryFile(path, out var size, out var ticks) ? new TranscriptFile(path, size, ticks) : null;
        }

        var info = new FileInfo(path);
        return info.Exists && (info.Attributes & FileAttributes.ReparsePoint) == 0 ? new TranscriptFile(path, info.Length, info.LastWriteTimeUtc.Ticks) : null;
    }

    /// <summary>The transcripts and subdirectories (not symbolic links) of a directory, each in ordinal order; null when it
    /// cannot be listed.</summary>
    internal static (IReadOnlyList<string> Files, IReadOnlyList<string> Directories)? List(string path)
    {
        try
        {
            var files = new List<string>();
            var directories = new List<string>();
            var entries = new FileSystemEnumerable<(string Name, bool Directory)>(path, static (ref FileSystemEntry e) => (e.FileName.ToString(), e.IsDirectory), ListOptions)
            {
                ShouldIncludePredicate = static (ref FileSystemEntry e) => e.IsDirectory || e.FileName.EndsWith(".jsonl", StringComparison.Ordinal),
            };
            foreach (var (name, directory) in entries)
            {
                (directory ? directories : files).Add(name);
            }

            files.Sort(StringComparer.Ordinal);
            directories.Sort(StringComparer.Ordinal);
            return ([.. files], [.. directories]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed record Visit(string Path, List<TranscriptFile> Files, IReadOnlyList<string> Directories, DirectoryListing? Fresh, bool Listed);
}
