namespace Tally.Ingest.ClaudeCode;

/// <summary>Finds Claude Code's data directories and every transcript under their <c>projects/</c> folders.</summary>
public static class ClaudeDataLocator
{
    /// <summary>
    /// The data roots to search: each entry of <c>CLAUDE_CONFIG_DIR</c> (comma-separated) when it is set, else
    /// <c>$XDG_CONFIG_HOME/claude</c> (default <c>~/.config/claude</c>) and <c>~/.claude</c>.
    /// </summary>
    public static IReadOnlyList<string> DefaultRoots(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var configured = environment("CLAUDE_CONFIG_DIR");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return [.. configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ExpandHome(environment))];
        }

        var home = environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var xdg = environment("XDG_CONFIG_HOME");
        var config = string.IsNullOrWhiteSpace(xdg) ? Path.Combine(home, ".config") : xdg;
        return [Path.Combine(config, "claude"), Path.Combine(home, ".claude")];
    }

    /// <summary>The <c>projects/</c> folders of <paramref name="roots"/> and whether they exist, without listing their files
    /// (for a run that reads nothing).</summary>
    public static Discovery Probe(IReadOnlyList<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        return new Discovery([], [.. roots.Select(static r => Path.GetFullPath(Path.Combine(r, "projects"))).Select(static p => new SearchedRoot(p, Directory.Exists(p), 0))]);
    }

    /// <summary>
    /// Every <c>*.jsonl</c> at any depth under each root's <c>projects/</c> folder, with its size and time. The stat
    /// of every transcript is most of a warm run's time, so the project folders are listed on every core at once.
    /// </summary>
    public static Discovery Discover(IReadOnlyList<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var files = new Dictionary<string, TranscriptFile>(StringComparer.Ordinal);
        var searched = new List<SearchedRoot>();
        foreach (var root in roots)
        {
            var projects = Path.GetFullPath(Path.Combine(root, "projects"));
            var exists = Directory.Exists(projects);
            var count = 0;
            if (exists)
            {
                var found = new List<TranscriptFile>(List(projects, recurse: false));
                var folders = Directory.EnumerateDirectories(projects, "*", new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint }).ToList();
                var perFolder = new List<TranscriptFile>[folders.Count];
                Parallel.For(0, folders.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => perFolder[i] = [.. List(folders[i], recurse: true)]);
                foreach (var file in found.Concat(perFolder.SelectMany(static f => f)))
                {
                    if (files.TryAdd(file.Path, file))
                    {
                        count++;
                    }
                }
            }

            searched.Add(new SearchedRoot(projects, exists, count));
        }

        return new Discovery([.. files.Values.OrderBy(f => f.Path, StringComparer.Ordinal)], searched);
    }

    private static System.IO.Enumeration.FileSystemEnumerable<TranscriptFile> List(string folder, bool recurse) =>
        new(
            folder,
            (ref System.IO.Enumeration.FileSystemEntry e) => new TranscriptFile(e.ToFullPath(), e.Length, e.LastWriteTimeUtc.UtcTicks),
            new EnumerationOptions
            {
                RecurseSubdirectories = recurse,
                IgnoreInaccessible = true,
                AttributesToSkip = FileAttributes.ReparsePoint,
                MatchType = MatchType.Simple,
            })
        {
            ShouldIncludePredicate = (ref System.IO.Enumeration.FileSystemEntry e) =>
                !e.IsDirectory && e.FileName.EndsWith(".jsonl", StringComparison.Ordinal),
        };

    private static Func<string, string> ExpandHome(Func<string, string?> environment) => path =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? (environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)) + path[1..]
            : path;
}

/// <summary>A transcript file found on disk.</summary>
/// <param name="Path">Its full path.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="ModifiedTicks">Its last-write time, UTC ticks.</param>
public sealed record TranscriptFile(string Path, long Size, long ModifiedTicks);

/// <summary>A <c>projects/</c> folder that was searched.</summary>
/// <param name="Path">The folder.</param>
/// <param name="Exists">Whether it exists.</param>
/// <param name="Files">Transcripts found in it.</param>
public sealed record SearchedRoot(string Path, bool Exists, int Files);

/// <summary>What a search found.</summary>
/// <param name="Files">Every transcript, ordered by path.</param>
/// <param name="Searched">Each folder searched.</param>
public sealed record Discovery(IReadOnlyList<TranscriptFile> Files, IReadOnlyList<SearchedRoot> Searched);
