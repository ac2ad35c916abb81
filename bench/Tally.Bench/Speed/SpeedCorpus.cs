using System.Diagnostics;

using Tally.Ingest.Demo;

namespace Tally.Bench.Speed;

/// <summary>The corpus a speed run measures: generated (full, realistic options) or reused, then read once so
/// every tool starts with it in the page cache.</summary>
internal sealed record SpeedCorpus(string Directory, long Bytes, int Files, bool Generated, double GenerateSeconds)
{
    public static SpeedCorpus Prepare(string dir, CorpusOptions options, TextWriter log)
    {
        string projects = Path.Combine(dir, "projects");
        bool reuse = System.IO.Directory.Exists(projects) && System.IO.Directory.EnumerateFileSystemEntries(projects).Any();
        var watch = Stopwatch.StartNew();
        if (reuse)
        {
            log.WriteLine($"speed: reusing the corpus in {dir}");
        }
        else
        {
            log.WriteLine($"speed: generating a {options.TargetBytes / 1_000_000.0:0.#} MB corpus in {dir}");
            new CorpusGenerator().Write(dir, options);
        }

        double generated = watch.Elapsed.TotalSeconds;
        (long bytes, int files) = WarmPageCache(projects);
        log.WriteLine($"speed: {files} files, {bytes / 1_000_000.0:0.0} MB read once to warm the page cache");
        return new SpeedCorpus(Path.GetFullPath(dir), bytes, files, !reuse, reuse ? 0 : generated);
    }

    /// <summary>Reads every transcript to the end (nothing is kept), so the first measured run does not pay for disk.</summary>
    public static (long Bytes, int Files) WarmPageCache(string projects)
    {
        byte[] buffer = new byte[1 << 20];
        long bytes = 0;
        int files = 0;
        foreach (string file in System.IO.Directory.EnumerateFiles(projects, "*.jsonl", SearchOption.AllDirectories))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                bytes += n;
            }

            files++;
        }

        return (bytes, files);
    }
}
