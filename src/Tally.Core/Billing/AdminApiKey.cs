namespace Tally.Core.Billing;

/// <summary>An API key of the organization, by id and name (never the key itself, nor its hint).</summary>
/// <param name="Id">The key's id (<c>apikey_…</c>).</param>
/// <param name="Name">Its display name.</param>
/// <param name="WorkspaceId">Its workspace (null: the default workspace).</param>
/// <param name="Status">Its status as written (<c>active</c>, <c>inactive</c>, <c>archived</c>, …).</param>
public sealed record AdminApiKey(string Id, string Name, string? WorkspaceId, string? Status);
