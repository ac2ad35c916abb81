namespace Tally.Tests.Shared;

/// <summary>A fresh directory per test, removed afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tally-test-" + Guid.NewGuid().ToString("N"));

    public string File(string relative, string content = "")
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, content);
        return full;
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("TALLY_KEEP_TEST_DIRS") is not null)
        {
            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Where the repository's test data is.</summary>
public static class TestData
{
    /// <summary>The repository root (the folder holding Tally.slnx).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The small realistic Claude Code data directory (use it as CLAUDE_CONFIG_DIR).</summary>
    public static string ClaudeSample => System.IO.Path.Combine(RepositoryRoot, "tests", "fixtures", "claude-sample");

    /// <summary>Searches up from the test binaries, then (for builds with <c>--artifacts-path</c> outside the
    /// repository) from this source file.</summary>
    private static string FindRoot([System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, System.IO.Path.GetDirectoryName(source) })
        {
            for (var dir = start; !string.IsNullOrEmpty(dir); dir = System.IO.Path.GetDirectoryName(dir))
            {
                if (System.IO.File.Exists(System.IO.Path.Combine(dir, "Tally.slnx")))
                {
                    return dir;
                }
            }
        }

        throw new InvalidOperationException("Tally.slnx not found above " + AppContext.BaseDirectory + " or " + source);
    }
}
