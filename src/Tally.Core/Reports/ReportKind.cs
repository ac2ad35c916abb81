namespace Tally.Core.Reports;

/// <summary>What a report's rows are.</summary>
public enum ReportKind
{
    /// <summary>One row per day in the report's time zone.</summary>
    Daily,

    /// <summary>One row per week, keyed by its first day.</summary>
    Weekly,

    /// <summary>One row per calendar month.</summary>
    Monthly,

    /// <summary>One row per Claude Code session (subagents included).</summary>
    Session,

    /// <summary>One row per project (worktrees collapsed, aliases applied).</summary>
    Projects,

    /// <summary>One row per model id as the source wrote it.</summary>
    Models,
}
