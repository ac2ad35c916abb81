namespace Tally.Core.Billing;

/// <summary>Names for the ids in billed rows, and the segmentation by workspace.</summary>
public sealed class BilledNames
{
    private readonly Dictionary<string, string> _workspaces;
    private readonly Dictionary<string, string> _keys;

    /// <summary>Names from these workspaces and keys; <paramref name="claudeCodeWorkspaces"/> as in <see cref="Billing.Segments"/>.</summary>
    public BilledNames(IReadOnlyList<AdminWorkspace> workspaces, IReadOnlyList<AdminApiKey> keys, IReadOnlyCollection<string>? claudeCodeWorkspaces)
    {
        ArgumentNullException.ThrowIfNull(workspaces);
        ArgumentNullException.ThrowIfNull(keys);
        _workspaces = workspaces.ToDictionary(static w => w.Id, static w => w.Name, StringComparer.Ordinal);
        _keys = keys.ToDictionary(static k => k.Id, static k => k.Name, StringComparer.Ordinal);
        Segments = new Segments(workspaces, claudeCodeWorkspaces);
    }

    /// <summary>Tells API, Claude Code and Console use apart.</summary>
    public Segments Segments { get; }

    /// <summary>Loads the names the store holds.</summary>
    public static async Task<BilledNames> LoadAsync(IBilledStore store, IReadOnlyCollection<string>? claudeCodeWorkspaces, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new(await store.WorkspacesAsync(cancellationToken), await store.ApiKeysAsync(cancellationToken), claudeCodeWorkspaces);
    }

    /// <summary>A workspace for people: its name (and id), or "Default" for the default workspace.</summary>
    public string Workspace(string? id) =>
        id is null ? "Default" : _workspaces.TryGetValue(id, out var name) && name.Length > 0 ? $"{name} ({id})" : id;

    /// <summary>An API key for people: its name (and id), or "Console (no key)".</summary>
    public string ApiKey(string? id) =>
        id is null ? "Console (no key)" : _keys.TryGetValue(id, out var name) && name.Length > 0 ? $"{name} ({id})" : id;
}
