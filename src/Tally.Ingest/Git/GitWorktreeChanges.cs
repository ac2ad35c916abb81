using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Tally.Core.Agents;

namespace Tally.Ingest.Git;

/// <summary>
/// A working tree's uncommitted changes from <c>git -C DIR diff --numstat HEAD</c> (staged and unstaged, against the
/// last commit; files git does not track yet are not counted). Quiet by design: a missing directory, a directory
/// outside any git working tree, a repository without a commit, a missing git or a git that does not answer within the
/// timeout all give null. git runs without optional locks (it never writes the index an agent may be using), without
/// external diff or text conversion programs and without a file-system monitor hook.
/// </summary>
/// <param name="timeout">How long git may take before it is stopped.</param>
/// <param name="gitPath">The git executable (default: <c>git</c> on the PATH).</param>
public sealed class GitWorktreeChanges(TimeSpan timeout, string gitPath = "git") : IWorktreeChanges
{
    /// <summary>The default timeout: long enough for a large repository on a slow disk, short enough for a status view.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Uses the default timeout and git from the PATH.</summary>
    public GitWorktreeChanges()
        : this(DefaultTimeout)
    {
    }

    /// <inheritdoc />
    public async Task<WorktreeChanges?> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            return null;
        }

        var start = new ProcessStartInfo(gitPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in new[] { "-C", directory, "-c", "core.fsmonitor=false", "diff", "--numstat", "--no-ext-diff", "--no-textconv", "--no-color", "HEAD", "--" })
        {
            start.ArgumentList.Add(argument);
        }

        // Variables that would point git at another repository than the directory's own.
        foreach (var name in new[] { "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["GIT_OPTIONAL_LOCKS"] = "0";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            return null; // no git
        }

        if (process is null)
        {
            return null;
        }

        using (process)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                process.StandardInput.Close();
                var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
                var errors = process.StandardError.ReadToEndAsync(deadline.Token);
                await process.WaitForExitAsync(deadline.Token);
                var text = await output;
                await errors;
                return process.ExitCode == 0 ? Parse(text) : null;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Stop(process);
                return null; // too slow
            }
            catch
            {
                Stop(process);
                throw;
            }
        }
    }

    /// <summary>Sums <c>--numstat</c> lines: <c>added TAB removed TAB path</c>, or <c>- TAB - TAB path</c> for a binary file.</summary>
    internal static WorktreeChanges Parse(string numstat)
    {
        long added = 0, removed = 0;
        var files = 0;
        foreach (var line in numstat.AsSpan().EnumerateLines())
        {
            var first = line.IndexOf('\t');
            if (first < 0)
            {
                continue;
            }

            var rest = line[(first + 1)..];
            var second = rest.IndexOf('\t');
            if (second < 0)
            {
                continue;
            }

            files++;
            if (long.TryParse(line[..first], NumberStyles.None, CultureInfo.InvariantCulture, out var a)
                && long.TryParse(rest[..second], NumberStyles.None, CultureInfo.InvariantCulture, out var r))
            {
                added += a;
                removed += r;
            }
        }

        return new WorktreeChanges(added, removed, files);
    }

    private static void Stop(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // it has exited already
        }
    }
}
