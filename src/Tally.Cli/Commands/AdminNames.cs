using Tally.Cli.App;
using Tally.Core.Billing;

namespace Tally.Cli.Commands;

/// <summary>Names for the ids in billed rows, and the segmentation by workspace.</summary>
internal sealed class AdminNames
{
    private readonly Dictionary<string, string> _workspaces;
    private readonly Dictionary<string, string> _keys;

    private AdminNames(IReadOnlyList<AdminWorkspace> workspaces, IReadOnlyList<AdminApiKey> keys, AdminConfig config)
    {
        _workspaces = workspaces.ToDictionary(static w => w.Id, static w => w.Name, StringComparer.Ordinal);
        _keys = keys.ToDictionary(static k => k.Id, static k => k.Name, StringComparer.Ordinal);
        Segments = new Segments(workspaces, config.ClaudeCodeWorkspaces);
    }

    /// <summary>Tells API, Claude Code and Console use apart.</summary>
    public Segments Segments { get; }

    /// <summary>Loads the names the index holds.</summary>
    public static async Task<AdminNames> LoadAsync(IBilledStore store, AdminConfig config, CancellationToken cancellationToken) =>
        new(await store.WorkspacesAsync(cancellationToken), await store.ApiKeysAsync(cancellationToken), config);

    /// <summary>A workspace for people: its name (and id), or "Default" for the default workspace.</summary>
    public string Workspace(string? id) =>
        id is null ? "Default" : _workspaces.TryGetValue(id, out var name) && name.Length > 0 ? $"{name} ({id})" : id;

    /// <summary>An API key for people: its name (and id), or "Console (no key)".</summary>
    public string ApiKey(string? id) =>
        id is null ? "Console (no key)" : _keys.TryGetValue(id, out var name) && name.Length > 0 ? $"{name} ({id})" : id;
}
