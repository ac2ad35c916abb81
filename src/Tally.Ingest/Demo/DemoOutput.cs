namespace Tally.Ingest.Demo;

/// <summary>Counters over everything written, and the files being written to.</summary>
internal sealed class DemoOutput(string projectsDir)
{
    public string ProjectsDir { get; } = projectsDir;

    public int Files { get; set; }

    public long Lines { get; set; }

    public long Bytes { get; set; }

    public int Sessions { get; set; }

    public int ResumedSessions { get; set; }

    public int SubagentFiles { get; set; }

    public long UsageLines { get; set; }

    public long UserPrompts { get; set; }

    public int LimitLines { get; set; }

    public int MalformedLines { get; set; }

    public DemoFile OpenSession(DemoCwd cwd, string sessionId)
    {
        Sessions++;
        return new DemoFile(this, Path.Combine(ProjectsDir, cwd.Encoded, sessionId + ".jsonl"));
    }

    public DemoFile OpenSubagent(DemoCwd cwd, string sessionId, string agentId)
    {
        SubagentFiles++;
        return new DemoFile(this, Path.Combine(ProjectsDir, cwd.Encoded, sessionId, "subagents", $"agent-{agentId}.jsonl"));
    }
}
