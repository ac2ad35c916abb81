using System.Globalization;
using Tally.Ingest.Demo;

namespace Tally.Cli.App;

/// <summary>
/// The built-in demo: a deterministic Claude Code data folder generated under the data directory (never beside the
/// user's real data), ending today, with an index of its own.
/// </summary>
internal static class DemoData
{
    private const string StampFile = ".tally-demo";

    /// <summary>The demo's own paths under <paramref name="paths"/>' data directory.</summary>
    public static TallyPaths PathsFor(TallyPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return paths with { DataDirectory = Path.Combine(paths.DataDirectory, "demo") };
    }

    /// <summary>The demo's Claude Code data folder, generated (or regenerated for a new day) when needed.</summary>
    public static string Ensure(TallyPaths demoPaths, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(demoPaths);
        var root = Path.Combine(demoPaths.DataDirectory, "claude");
        var stamp = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (File.Exists(Path.Combine(root, StampFile)) && File.ReadAllText(Path.Combine(root, StampFile)).Trim() == stamp)
        {
            return root;
        }

        // A new day's demo replaces the old one whole, its index included, so the two never mix.
        Directory.CreateDirectory(demoPaths.DataDirectory);
        var staging = Path.Combine(demoPaths.DataDirectory, $"claude.{Environment.ProcessId}.tmp");
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        new CorpusGenerator().Write(staging, CorpusOptions.Demo(today));
        File.WriteAllText(Path.Combine(staging, StampFile), stamp);
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        foreach (var index in Directory.EnumerateFiles(demoPaths.DataDirectory, "index.db*"))
        {
            File.Delete(index);
        }

        try
        {
            Directory.Move(staging, root);
        }
        catch (IOException) when (Directory.Exists(root))
        {
            // Another process made the same demo at the same moment: theirs is byte-identical.
            Directory.Delete(staging, recursive: true);
        }

        return root;
    }
}
