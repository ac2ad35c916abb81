namespace Tally.Ingest.Demo;

/// <summary>One session to write: where, on which model, when, how big, and which rare events it must contain.</summary>
internal sealed record SessionPlan
{
    public required DemoCwd Cwd { get; init; }

    public required string Model { get; init; }

    public required DateTime Start { get; init; }

    /// <summary>The session stops starting turns once its file is this big.</summary>
    public required long Budget { get; init; }

    /// <summary>The session stops starting turns after this time.</summary>
    public required DateTime StopBy { get; init; }

    /// <summary>Continue from these turns of an earlier session, copied verbatim.</summary>
    public ResumePoint? Resume { get; init; }

    /// <summary>A Sonnet 4.5 1M-context session whose prompts exceed 200k.</summary>
    public bool LongContext { get; init; }

    /// <summary>Written by an old Claude Code (1.0.x): no <c>cache_creation</c> split.</summary>
    public bool Legacy { get; init; }

    public bool ForceLimit { get; init; }

    public bool ForceStraddle { get; init; }

    public bool ForceSubagent { get; init; }

    public bool ForceWebSearch { get; init; }

    public bool ForceIdless { get; init; }

    public bool ForceMalformed { get; init; }

    /// <summary>Ends with a half-written line, as a session still running would.</summary>
    public bool EndPartial { get; init; }
}
