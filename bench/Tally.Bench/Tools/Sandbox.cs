namespace Tally.Bench.Tools;

/// <summary>
/// An isolated place for one tool run: its own <c>HOME</c> (so nothing of the user's leaks in and no cache is shared)
/// and Tally's own data directory (its index). Deleted on dispose unless kept.
/// </summary>
internal sealed class Sandbox : IDisposable
{
    public Sandbox(string corpusDir, string? under = null)
    {
        CorpusDir = Path.GetFullPath(corpusDir);
        Root = Path.Combine(under ?? Path.GetTempPath(), $"tally-bench-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(DataDir);
        if (!OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(RuntimeDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>The Claude Code data directory the tools read (<c>CLAUDE_CONFIG_DIR</c>).</summary>
    public string CorpusDir { get; }

    public string Root { get; }

    public string Home => Path.Combine(Root, "home");

    /// <summary>Tally's data directory (<c>TALLY_DATA_DIR</c>); the index is <c>index.db</c> inside it.</summary>
    public string DataDir => Path.Combine(Root, "data");

    /// <summary>The runtime folder (<c>XDG_RUNTIME_DIR</c>): where a <c>tally serve</c> of this run answers commands,
    /// so none of the user's own servers is asked.</summary>
    public string RuntimeDir => Path.Combine(Root, "run");

    public bool Keep { get; set; }

    /// <summary>Empties Tally's data directory: the next Tally run starts from an empty index.</summary>
    public void ResetData()
    {
        Directory.Delete(DataDir, recursive: true);
        Directory.CreateDirectory(DataDir);
    }

    /// <summary>The environment every tool gets: isolated home and XDG folders, no colour, the corpus.</summary>
    public Dictionary<string, string> Environment() => new(StringComparer.Ordinal)
    {
        ["HOME"] = Home,
        ["XDG_CONFIG_HOME"] = Path.Combine(Home, ".config"),
        ["XDG_DATA_HOME"] = Path.Combine(Home, ".local", "share"),
        ["XDG_CACHE_HOME"] = Path.Combine(Home, ".cache"),
        ["CLAUDE_CONFIG_DIR"] = CorpusDir,
        ["TALLY_DATA_DIR"] = DataDir,
        ["XDG_RUNTIME_DIR"] = RuntimeDir,
        ["TALLY_CONFIG_DIR"] = Path.Combine(Home, ".config", "tally"),
        ["NO_COLOR"] = "1",
        ["TZ"] = "UTC",
    };

    public void Dispose()
    {
        if (!Keep && Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
