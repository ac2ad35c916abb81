namespace Tally.Core.Agents;

/// <summary>One subagent of an agent card.</summary>
/// <param name="AgentId">The subagent's id.</param>
/// <param name="Status">Whether it made a call within the active window.</param>
/// <param name="Figures">What it did in the range.</param>
public sealed record SubagentLine(string AgentId, AgentStatus Status, AgentFigures Figures);
