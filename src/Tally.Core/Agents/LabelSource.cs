namespace Tally.Core.Agents;

/// <summary>Where an agent card's task label came from.</summary>
public enum LabelSource
{
    /// <summary>No label: no configured one and no git branch.</summary>
    None,

    /// <summary>The git branch of the agent's latest call.</summary>
    Branch,

    /// <summary>A label configured for the session or the working directory.</summary>
    Configured,
}
