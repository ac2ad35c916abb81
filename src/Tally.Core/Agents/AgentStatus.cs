namespace Tally.Core.Agents;

/// <summary>Whether an agent is working now.</summary>
public enum AgentStatus
{
    /// <summary>Its last call is older than the active window.</summary>
    Idle,

    /// <summary>It made a call within the active window.</summary>
    Active,
}
