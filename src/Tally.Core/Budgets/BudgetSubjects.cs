namespace Tally.Core.Budgets;

/// <summary>How a budget's target names a project or an agent.</summary>
public static class BudgetSubjects
{
    /// <summary>True when <paramref name="target"/> names <paramref name="project"/>: its path, its last folder name or
    /// its alias (case-insensitive).</summary>
    public static bool IsProject(string project, string target, IReadOnlyDictionary<string, string> aliases)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(target);
        return SamePath(project, target)
            || string.Equals(LastFolder(project), target, StringComparison.OrdinalIgnoreCase)
            || string.Equals(ProjectLabel(project, aliases), target, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when <paramref name="target"/> names the agent working in <paramref name="directory"/>: the
    /// directory's path, or its last folder name (a worktree's name).</summary>
    public static bool IsAgent(string directory, string target)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(target);
        return SamePath(directory, target) || string.Equals(LastFolder(directory), target, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A project's alias (looked up by path, then by last folder name), else its path.</summary>
    public static string ProjectLabel(string project, IReadOnlyDictionary<string, string> aliases)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(aliases);
        return aliases.TryGetValue(project, out var alias) || aliases.TryGetValue(LastFolder(project), out alias) ? alias : project;
    }

    /// <summary>The last folder name of a path (<c>/home/a/app</c> → <c>app</c>).</summary>
    public static string LastFolder(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = path.TrimEnd('/', '\\');
        var cut = trimmed.LastIndexOfAny(['/', '\\']);
        return cut < 0 ? trimmed : trimmed[(cut + 1)..];
    }

    private static bool SamePath(string path, string target) =>
        string.Equals(path.TrimEnd('/', '\\'), target.TrimEnd('/', '\\'), StringComparison.OrdinalIgnoreCase);
}
