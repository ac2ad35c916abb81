namespace Tally.Core.Billing;

/// <summary>A workspace of the organization, by id and name.</summary>
/// <param name="Id">The workspace id (<c>wrkspc_…</c>).</param>
/// <param name="Name">Its display name (the automatically created one for Claude Code is named "Claude Code").</param>
public sealed record AdminWorkspace(string Id, string Name);
