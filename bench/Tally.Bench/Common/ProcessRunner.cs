using System.Diagnostics;
using System.Globalization;

namespace Tally.Bench.Common;

/// <summary>
/// Runs a child process, capturing its output, wall time and peak resident set size. Peak RSS comes from
/// <c>/usr/bin/time</c> (GNU time: the kernel's <c>ru_maxrss</c> of the waited-for child, exact) when it exists,
/// else from polling <c>/proc/&lt;pid&gt;/status</c> VmHWM (a high-water mark, so only growth in the last
/// 5 ms before exit can be missed), else it is not measured.
/// </summary>
internal static class ProcessRunner
{
    private const string GnuTime = "/usr/bin/time";

    public static string RssMethod => File.Exists(GnuTime)
        ? "ru_maxrss of the child via /usr/bin/time (getrusage after wait4)"
        : OperatingSystem.IsLinux() ? "VmHWM from /proc/<pid>/status polled every 5 ms" : "not measured";

    public static ProcessResult Run(ProcessSpec spec, TimeSpan timeout)
    {
        string? rssFile = File.Exists(GnuTime) ? Path.Combine(Path.GetTempPath(), $"tally-bench-rss-{Guid.NewGuid():N}") : null;
        var info = new ProcessStartInfo(rssFile is null ? spec.FileName : GnuTime)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = spec.Stdin is not null,
            UseShellExecute = false,
        };
        if (rssFile is not null)
        {
            foreach (string a in new[] { "-f", "%M", "-o", rssFile, spec.FileName })
            {
                info.ArgumentList.Add(a);
            }
        }

        foreach (string a in spec.Arguments)
        {
            info.ArgumentList.Add(a);
        }

        foreach (KeyValuePair<string, string> kv in spec.Environment)
        {
            info.Environment[kv.Key] = kv.Value;
        }

        try
        {
            return Execute(info, rssFile, timeout, spec.Stdin);
        }
        finally
        {
            if (rssFile is not null)
            {
                File.Delete(rssFile);
            }
        }
    }

    private static ProcessResult Execute(ProcessStartInfo info, string? rssFile, TimeSpan timeout, string? stdin)
    {
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        long polledPeak = 0;
        bool exited;
        if (rssFile is null && OperatingSystem.IsLinux())
        {
            while (!(exited = process.WaitForExit(5)) && watch.Elapsed < timeout)
            {
                polledPeak = Math.Max(polledPeak, ReadVmHwm(process.Id));
            }
        }
        else
        {
            exited = process.WaitForExit(timeout);
        }

        if (!exited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.WaitForExit();
        TimeSpan wall = watch.Elapsed;
        long? peak = rssFile is not null ? ReadGnuTime(rssFile) : polledPeak > 0 ? polledPeak : null;
        return new ProcessResult(exited ? process.ExitCode : -1, stdout.Result, stderr.Result, wall, peak, !exited);
    }

    /// <summary>GNU time writes "Command exited with non-zero status N" before the figure when the child failed.</summary>
    private static long? ReadGnuTime(string file)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        string? last = File.ReadLines(file).LastOrDefault(static l => l.Length > 0);
        return long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out long kb) ? kb * 1024 : null;
    }

    private static long ReadVmHwm(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    string kb = line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim();
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return 0;
    }
}
