namespace Tally.Core.Agents;

/// <summary>The user's settings for agent cards (from <c>config.json</c>).</summary>
public sealed record AgentSettings
{
    /// <summary>The default active window: an agent seen in the last five minutes is working.</summary>
    public static readonly TimeSpan DefaultActiveWindow = TimeSpan.FromMinutes(5);

    /// <summary>How agents authenticate; null when not configured (billing sources are then unknown).</summary>
    public AuthMode? AuthMode { get; init; }

    /// <summary>
    /// Billing source overrides keyed by a session id, a working directory, a project path, a project's folder name or
    /// a project alias (checked in that order).
    /// </summary>
    public IReadOnlyDictionary<string, BillingSource> BillingOverrides { get; init; } = new Dictionary<string, BillingSource>(StringComparer.Ordinal);

    /// <summary>Task labels keyed by a session id or a working directory (session first); else the git branch labels a card.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How recent an agent's last call must be for it to count as active.</summary>
    public TimeSpan ActiveWindow { get; init; } = DefaultActiveWindow;

    /// <summary>Display names for projects, keyed by path or folder name (an override may name a project by its alias).</summary>
    public IReadOnlyDictionary<string, string> ProjectAliases { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The billing source of an agent, and the setting that decided it.</summary>
    public (BillingSource Source, BillingBasis Basis) BillingOf(string sessionId, string? directory, string? project)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        if (BillingOverrides.TryGetValue(sessionId, out var bySession))
        {
            return (bySession, BillingBasis.Agent);
        }

        if (directory is not null && (BillingOverrides.TryGetValue(directory, out var byDirectory) || BillingOverrides.TryGetValue(Trim(directory), out byDirectory)))
        {
            return (byDirectory, BillingBasis.Directory);
        }

        foreach (var name in ProjectNamesOf(project))
        {
            if (BillingOverrides.TryGetValue(name, out var byProject))
            {
                return (byProject, BillingBasis.Project);
            }
        }

        return AuthMode switch
        {
            Agents.AuthMode.Subscription or Agents.AuthMode.MultiAccount => (BillingSource.Subscription, BillingBasis.AuthMode),
            Agents.AuthMode.ApiKey => (BillingSource.Api, BillingBasis.AuthMode),
            Agents.AuthMode.Both => (BillingSource.Unknown, BillingBasis.AuthMode),
            _ => (BillingSource.Unknown, BillingBasis.None),
        };
    }

    /// <summary>The configured label for a session or working directory, if any.</summary>
    public string? LabelOf(string sessionId, string? directory)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        if (Labels.TryGetValue(sessionId, out var label))
        {
            return label;
        }

        return directory is not null && (Labels.TryGetValue(directory, out label) || Labels.TryGetValue(Trim(directory), out label)) ? label : null;
    }

    /// <summary>A project's display name: its alias (by path, then folder name), else its folder name.</summary>
    public string? ProjectName(string? project)
    {
        if (project is null)
        {
            return null;
        }

        return ProjectAliases.TryGetValue(project, out var alias) || ProjectAliases.TryGetValue(LastFolder(project), out alias) ? alias : LastFolder(project);
    }

    /// <summary>The last folder name of a path (<c>/home/a/app</c> → <c>app</c>).</summary>
    public static string LastFolder(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = Trim(path);
        var cut = trimmed.LastIndexOfAny(['/', '\\']);
        return cut < 0 ? trimmed : trimmed[(cut + 1)..];
    }

    private static string Trim(string path) => path.Length > 1 ? path.TrimEnd('/', '\\') : path;

    private IEnumerable<string> ProjectNamesOf(string? project)
    {
        if (project is null)
        {
            yield break;
        }

        yield return project;
        yield return Trim(project);
        yield return LastFolder(project);
        if (ProjectAliases.TryGetValue(project, out var alias) || ProjectAliases.TryGetValue(LastFolder(project), out alias))
        {
            yield return alias;
        }
    }
}
