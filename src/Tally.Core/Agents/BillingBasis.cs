namespace Tally.Core.Agents;

/// <summary>Which setting decided an agent's <see cref="BillingSource"/>.</summary>
public enum BillingBasis
{
    /// <summary>No setting: no auth mode is configured.</summary>
    None,

    /// <summary>The configured auth mode.</summary>
    AuthMode,

    /// <summary>An override for the agent's project (its path, folder name or alias).</summary>
    Project,

    /// <summary>An override for the agent's working directory.</summary>
    Directory,

    /// <summary>An override for the agent's session id (or its proxy agent name).</summary>
    Agent,

    /// <summary>What the metering proxy saw: the credential the agent's latest proxied call carried.</summary>
    Proxy,
}
