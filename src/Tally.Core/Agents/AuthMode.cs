namespace Tally.Core.Agents;

/// <summary>How the user's Claude Code agents authenticate, which decides what their calls are billed to.</summary>
public enum AuthMode
{
    /// <summary>A Claude subscription (Pro, Max, Team): calls count against the plan's limits, not billed per token.</summary>
    Subscription,

    /// <summary>An Anthropic API key: every call is billed per token.</summary>
    ApiKey,

    /// <summary>Some agents on the subscription, some on an API key: per-project or per-agent overrides tell which.</summary>
    Both,

    /// <summary>Several subscription accounts shared by the agents (for instance through a pool such as ccflare).</summary>
    MultiAccount,
}
