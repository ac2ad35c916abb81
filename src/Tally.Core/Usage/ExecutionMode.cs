namespace Tally.Core.Usage;

/// <summary>Where the model that answered a call ran.</summary>
public enum ExecutionMode
{
    /// <summary>A hosted model: Anthropic's API, Bedrock, Vertex (every Claude Code transcript record).</summary>
    Cloud,

    /// <summary>A model on the user's own machine or network (only sources that say so, such as call-log lines).</summary>
    Local,
}
