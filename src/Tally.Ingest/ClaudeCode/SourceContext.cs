namespace Tally.Ingest.ClaudeCode;

/// <summary>What a transcript's path says about its lines, used where a line leaves a field out.</summary>
/// <param name="File">The transcript's full path.</param>
/// <param name="SessionId">The session the file belongs to (the parent session for a subagent file).</param>
/// <param name="AgentId">The subagent whose file this is, if it is one.</param>
internal sealed record SourceContext(string File, string? SessionId, string? AgentId)
{
    /// <summary>The zone a limit notice's clock time ("resets 3:45pm") is read in when it names none: Claude Code writes
    /// it in the local time of the machine it runs on.</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Local;

    /// <summary>The last value of each string field that repeats from line to line, shared by the file's lines. A context
    /// (and any copy made of it with <c>with</c>) belongs to one read of one file, on one thread.</summary>
    public FileStrings Strings { get; } = new();

    /// <summary>What a sync adds to each record (project, price, path-aware content hash); none when only the line is
    /// parsed.</summary>
    public RecordCompletion? Completion { get; init; }

    /// <summary>Reads the session and subagent from a transcript path:
    /// <c>…/&lt;session&gt;.jsonl</c> or <c>…/&lt;session&gt;/subagents/agent-&lt;id&gt;.jsonl</c>.</summary>
    public static SourceContext FromPath(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var directory = Path.GetDirectoryName(path);
        if (directory is not null && string.Equals(Path.GetFileName(directory), "subagents", StringComparison.Ordinal))
        {
            var session = Path.GetFileName(Path.GetDirectoryName(directory));
            var agent = name.StartsWith("agent-", StringComparison.Ordinal) ? name["agent-".Length..] : name;
            return new SourceContext(path, string.IsNullOrEmpty(session) ? null : session, agent);
        }

        return new SourceContext(path, name, null);
    }
}
