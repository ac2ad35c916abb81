namespace Tally.Core.Billing;

/// <summary>Tells API, Claude Code and Console (Workbench) use apart.</summary>
public sealed class Segments
{
    /// <summary>The name Anthropic gives the workspace that Console sign-ins to Claude Code bill to.</summary>
    public const string ClaudeCodeWorkspaceName = "Claude Code";

    private readonly HashSet<string> _claudeCode;

    /// <summary>Segments by the workspaces named <paramref name="claudeCodeNames"/> (ids or names; default "Claude Code").</summary>
    public Segments(IEnumerable<AdminWorkspace> workspaces, IReadOnlyCollection<string>? claudeCodeNames = null)
    {
        ArgumentNullException.ThrowIfNull(workspaces);
        var names = claudeCodeNames is { Count: > 0 } given ? given : [ClaudeCodeWorkspaceName];
        _claudeCode = new HashSet<string>(
            workspaces.Where(w => names.Any(n => string.Equals(n, w.Name, StringComparison.OrdinalIgnoreCase) || string.Equals(n, w.Id, StringComparison.Ordinal))).Select(static w => w.Id),
            StringComparer.Ordinal);
        foreach (var id in names.Where(static n => n.StartsWith("wrkspc_", StringComparison.Ordinal)))
        {
            _claudeCode.Add(id);
        }
    }

    /// <summary>The workspace ids counted as Claude Code.</summary>
    public IReadOnlyCollection<string> ClaudeCodeWorkspaces => _claudeCode;

    /// <summary>The segment of a usage row: no API key is Console; the Claude Code workspace is Claude Code; else API.</summary>
    public BilledSegment Of(BilledUsageRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.ApiKeyId is null ? BilledSegment.Console : OfWorkspace(row.WorkspaceId);
    }

    /// <summary>The segment of a cost row. The cost report has no API-key dimension, so Console (Workbench) spend cannot be
    /// told apart from API spend there: it counts as <see cref="BilledSegment.Api"/>.</summary>
    public BilledSegment Of(BilledCostRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return OfWorkspace(row.WorkspaceId);
    }

    private BilledSegment OfWorkspace(string? workspace) =>
        workspace is not null && _claudeCode.Contains(workspace) ? BilledSegment.ClaudeCode : BilledSegment.Api;

    /// <summary>The segment's name in tables, JSON and CSV.</summary>
    public static string Name(BilledSegment segment) => segment switch
    {
        BilledSegment.ClaudeCode => "claude-code",
        BilledSegment.Console => "console",
        _ => "api",
    };
}
