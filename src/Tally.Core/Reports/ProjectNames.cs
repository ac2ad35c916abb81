namespace Tally.Core.Reports;

/// <summary>How a project is named to people: its alias when the user gave one, else its path.</summary>
public static class ProjectNames
{
    /// <summary>The alias for <paramref name="project"/> (looked up by path, then by last folder name), else the path.</summary>
    public static string? Display(string? project, IReadOnlyDictionary<string, string> aliases)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        if (project is null)
        {
            return null;
        }

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
}
