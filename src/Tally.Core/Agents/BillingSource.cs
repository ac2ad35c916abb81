namespace Tally.Core.Agents;

/// <summary>What an agent's calls are billed to.</summary>
public enum BillingSource
{
    /// <summary>Not known: no auth mode is configured, or the mode is <see cref="AuthMode.Both"/> and no override names this agent.</summary>
    Unknown,

    /// <summary>A Claude subscription (the plan's limits, not per-token billing).</summary>
    Subscription,

    /// <summary>An API key, billed per token.</summary>
    Api,
}
