namespace Tally.Ingest.Demo;

/// <summary>The fields every line of one transcript file shares, and the chain of <c>parentUuid</c>s.</summary>
internal sealed class DemoThread
{
    public required string SessionId { get; init; }

    public required DemoCwd Cwd { get; init; }

    public required string Version { get; init; }

    public bool IsSidechain { get; init; }

    /// <summary>The subagent's id, for lines of a subagent file.</summary>
    public string? AgentId { get; init; }

    /// <summary>The uuid of the last line written, which the next line points back to.</summary>
    public string? ParentUuid { get; set; }

    /// <summary>Claude Code 2.1 and later write <c>inference_geo</c> and <c>turn_duration</c> lines.</summary>
    public bool IsRecentVersion => Version.StartsWith("2.1", StringComparison.Ordinal);

    /// <summary>Versions before 2.0 wrote no <c>cache_creation</c> split.</summary>
    public bool IsLegacyVersion => Version.StartsWith("1.", StringComparison.Ordinal);
}
