using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Tally.Ingest.ClaudeCode;

/// <summary>
/// Maps a working directory to its project: the repository it belongs to, with worktrees collapsed into their
/// main repository. When the path exists, git's own metadata decides (a worktree's <c>.git</c> file points at
/// <c>&lt;main&gt;/.git/worktrees/&lt;name&gt;</c>); when it does not, the first matching pattern does (its
/// <c>repo</c> group is the project); else the directory itself is the project.
/// </summary>
public sealed class ProjectResolver
{
    /// <summary>The default fallback patterns: <c>…/.worktrees/x</c>, <c>…/.claude/worktrees/x</c>, <c>…/worktrees/x</c>
    /// beside a repository, and <c>…/app-wt-x</c>.</summary>
    public static readonly IReadOnlyList<string> DefaultWorktreePatterns =
    [
        @"^(?<repo>.+?)/\.worktrees/[^/]+(/.*)?$",
        @"^(?<repo>.+?)/\.claude/worktrees/[^/]+(/.*)?$",
        @"^(?<repo>.+?)-wt-[^/]+(/.*)?$",
    ];

    private readonly ConcurrentDictionary<string, string> _cache = new(StringComparer.Ordinal);
    private readonly Regex[] _patterns;

    // One delegate for the cache's misses: a method group passed to GetOrAdd would allocate a new one on every call.
    private readonly Func<string, string> _resolveUncached;

    /// <summary>Creates a resolver with the given fallback patterns (regular expressions with a <c>repo</c> group).</summary>
    public ProjectResolver(IEnumerable<string>? worktreePatterns = null)
    {
        // The backtracking engine with a match timeout: user patterns cannot hang a run, and building it costs far less
        // than NonBacktracking's (which showed in every warm report's profile, though matches are rare).
        _patterns = [.. (worktreePatterns ?? DefaultWorktreePatterns)
            .Select(p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200)))];
        _resolveUncached = ResolveUncached;
    }

    /// <summary>The project of a working directory; <paramref name="fallback"/> when there is no directory.</summary>
    public string? Resolve(string? cwd, string? fallback)
    {
        if (string.IsNullOrWhiteSpace(cwd))
        {
            return fallback;
        }

        return _cache.GetOrAdd(cwd, _resolveUncached);
    }

    private string ResolveUncached(string cwd)
    {
        var trimmed = cwd.Length > 1 ? cwd.TrimEnd('/', '\\') : cwd;
        if (Directory.Exists(trimmed) && FromGit(trimmed) is { } repository)
        {
            return repository;
        }

        foreach (var pattern in _patterns)
        {
            Match match;
            try
            {
                match = pattern.Match(trimmed);
            }
            catch (RegexMatchTimeoutException)
            {
                continue;
            }

            if (match.Success && match.Groups["repo"].Success)
            {
                return match.Groups["repo"].Value;
            }
        }

        return trimmed;
    }

    private static string? FromGit(string directory)
    {
        for (var dir = directory; !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            var git = Path.Combine(dir, ".git");
            if (Directory.Exists(git))
            {
                return dir;
            }

            if (File.Exists(git))
            {
                return MainRepositoryOf(dir, git) ?? dir;
            }
        }

        return null;
    }

    private static string? MainRepositoryOf(string worktree, string gitFile)
    {
        try
        {
            var first = File.ReadLines(gitFile).FirstOrDefault() ?? string.Empty;
            if (!first.StartsWith("gitdir:", StringComparison.Ordinal))
            {
                return null;
            }

            var gitDir = first["gitdir:".Length..].Trim();
            if (!Path.IsPathRooted(gitDir))
            {
                gitDir = Path.GetFullPath(Path.Combine(worktree, gitDir));
            }

            var marker = gitDir.Replace('\\', '/').LastIndexOf("/.git/worktrees/", StringComparison.Ordinal);
            return marker > 0 ? gitDir[..marker] : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
