using Tally.Core.Storage;

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

    /// <summary>Every <c>*.jsonl</c> at any depth under each root's <c>projects/</c> folder, with its size and time, every
    /// directory listed (for a caller without an index).</summary>
    public static Discovery Discover(IReadOnlyList<string> roots) => Discover(roots, [], TimeProvider.System);

    /// <summary>
    /// Every <c>*.jsonl</c> at any depth under each root's <c>projects/</c> folder, with its size and time. A directory
    /// whose stamp is the one a settled listing in <paramref name="known"/> recorded is not listed again: its entries
    /// are the ones recorded (adding, removing or renaming an entry moves a directory's times; appending to a file does
    /// not, so every transcript is still stat-ed). Symbolic links below a <c>projects/</c> folder are not followed.
    /// Each level of the tree is visited on every core at once.
    /// </summary>
    /// <param name="roots">The Claude Code data roots.</param>
    /// <param name="known">The listings the last sync kept.</param>
    /// <param name="clock">The wall clock a listing's time is read from (the file system's clock on this machine).</param>
    public static Discovery Discover(IReadOnlyList<string> roots, IReadOnlyList<DirectoryListing> known, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(clock);
        var walk = new TranscriptWalk(known, (clock.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks) * TimeSpan.NanosecondsPerTick, distinctRoots: roots.Count <= 1);
        var searched = new List<SearchedRoot>();
        foreach (var root in roots)
        {
            var projects = Path.GetFullPath(Path.Combine(root, "projects"));
            var exists = Directory.Exists(projects);
            searched.Add(new SearchedRoot(projects, exists, exists ? walk.Walk(projects) : 0));
        }

        return new Discovery(walk.Files, searched)
        {
            Listed = walk.Listed,
            Gone = walk.Gone(searched.Select(static s => s.Path)),
            DirectoriesListed = walk.DirectoriesListed,
            DirectoriesReused = walk.DirectoriesReused,
        };
    }

    private static Func<string, string> ExpandHome(Func<string, string?> environment) => path =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? (environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)) + path[1..]
            : path;
}

/// <summary>A transcript file found on disk.</summary>
/// <param name="Path">Its full path.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="ModifiedTicks">Its last-write time, UTC ticks.</param>
public sealed record TranscriptFile(string Path, long Size, long ModifiedTicks)
{
    /// <summary>Those of <paramref name="paths"/> (say, what a watcher reported) that exist now, each with its size and
    /// time as they are now; the ones that are gone are left to a full sync.</summary>
    public static List<TranscriptFile> Existing(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<TranscriptFile>();
        foreach (var path in paths)
        {
            var info = new FileInfo(path);
            if (info.Exists)
            {
                files.Add(new TranscriptFile(info.FullName, info.Length, info.LastWriteTimeUtc.Ticks));
            }
        }

        return files;
    }
}

/// <summary>A <c>projects/</c> folder that was searched.</summary>
/// <param name="Path">The folder.</param>
/// <param name="Exists">Whether it exists.</param>
/// <param name="Files">Transcripts found in it.</param>
public sealed record SearchedRoot(string Path, bool Exists, int Files);

/// <summary>What a search found.</summary>
/// <param name="Files">Every transcript (each once, in no particular order).</param>
/// <param name="Searched">Each folder searched.</param>
public sealed record Discovery(IReadOnlyList<TranscriptFile> Files, IReadOnlyList<SearchedRoot> Searched)
{
    /// <summary>The directories listed by this search that settled before they were listed, to keep for the next (none
    /// where directories have no stamp).</summary>
    public IReadOnlyList<DirectoryListing> Listed { get; init; } = [];

    /// <summary>Directories under the folders searched whose listings were kept, and that are gone.</summary>
    public IReadOnlyList<string> Gone { get; init; } = [];

    /// <summary>Directories whose entries were read from the file system.</summary>
    public int DirectoriesListed { get; init; }

    /// <summary>Directories whose entries were the ones a kept listing recorded (unchanged since).</summary>
    public int DirectoriesReused { get; init; }
}
