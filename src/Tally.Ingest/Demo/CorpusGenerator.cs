namespace Tally.Ingest.Demo;

/// <summary>
/// Writes a synthetic Claude Code data directory shaped like real transcripts — for the demo, for tests that need
/// ground truth, and for benchmarks of several gigabytes. Files are streamed to disk; the corpus is never held in
/// memory. The same <see cref="CorpusOptions"/> always produce byte-identical files.
/// </summary>
public sealed class CorpusGenerator
{
    private readonly IProgress<long>? _progress;

    /// <summary>A generator that reports nothing while it writes.</summary>
    public CorpusGenerator()
    {
    }

    /// <summary>A generator that reports the bytes written so far after each session (for multi-gigabyte corpora).</summary>
    /// <param name="progress">Receives the running byte count.</param>
    public CorpusGenerator(IProgress<long> progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        _progress = progress;
    }

    /// <summary>
    /// Writes <c><paramref name="rootDir"/>/projects/&lt;encoded cwd&gt;/&lt;sessionId&gt;.jsonl</c> files (and
    /// subagent files beside them) and returns what was written, with the totals a correct ingester must find.
    /// </summary>
    /// <param name="rootDir">The data directory to create; its <c>projects</c> folder must be absent or empty.</param>
    /// <param name="options">What to write.</param>
    /// <exception cref="IOException">The <c>projects</c> folder already holds files.</exception>
    public CorpusSummary Write(string rootDir, CorpusOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDir);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Days, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TargetBytes, 1L, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Projects, 1, nameof(options));

        string projectsDir = Path.Combine(rootDir, "projects");
        if (Directory.Exists(projectsDir) && Directory.EnumerateFileSystemEntries(projectsDir).Any())
        {
            throw new IOException($"'{projectsDir}' is not empty; the corpus must be written to an empty directory.");
        }

        Directory.CreateDirectory(projectsDir);
        using var world = new DemoWorld(options, projectsDir);
        var sessions = new DemoSessionWriter(world);
        foreach (SessionPlan plan in new DemoPlanner(world).Plans())
        {
            sessions.Run(plan);
            _progress?.Report(world.Output.Bytes);
        }

        DemoOutput o = world.Output;
        return new CorpusSummary
        {
            RootDirectory = Path.GetFullPath(rootDir),
            Options = options,
            Files = o.Files,
            Lines = o.Lines,
            Bytes = o.Bytes,
            Sessions = o.Sessions,
            ResumedSessions = o.ResumedSessions,
            SubagentFiles = o.SubagentFiles,
            UsageLines = o.UsageLines,
            UserPrompts = o.UserPrompts,
            LimitLines = o.LimitLines,
            MalformedLines = o.MalformedLines,
            Expected = world.Ledger.ToList(),
        };
    }
}
