namespace Tally.Core.Billing;

/// <summary>Which kind of use a billed row belongs to.</summary>
public enum BilledSegment
{
    /// <summary>API calls made with an API key outside the Claude Code workspace.</summary>
    Api,

    /// <summary>Claude Code signed in through the Console: the automatically created "Claude Code" workspace.</summary>
    ClaudeCode,

    /// <summary>Console (Workbench) usage: usage rows with no API key.</summary>
    Console,
}
