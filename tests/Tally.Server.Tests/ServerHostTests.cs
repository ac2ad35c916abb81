using System.Diagnostics;
using System.Globalization;

namespace Tally.Server.Tests;

/// <summary>The servers' web host watches no folder: the default host keeps a recursive watch on its content root.</summary>
public class ServerHostTests
{
    [Fact]
    public async Task The_host_keeps_no_watch_on_its_content_root()
    {
        using var temp = new TempDirectory();
        foreach (var folder in new[] { "a", "a/b", "c" })
        {
            Directory.CreateDirectory(Path.Combine(temp.Path, folder));
        }

        var root = Inode(temp.Path);
        await using var app = ServerHost.CreateBuilder("Tally.Test", temp.Path).Build();

        // /proc/self/fdinfo lists each inotify watch of this process with the inode it watches. Other tests' watches
        // (on their own temporary folders) may come and go meanwhile; none is on this test's folder.
        Assert.DoesNotContain(root, WatchedInodes());
    }

    /// <summary>Inodes watched by this process's inotify instances.</summary>
    private static HashSet<ulong> WatchedInodes()
    {
        var inodes = new HashSet<ulong>();
        foreach (var fd in Directory.EnumerateFiles("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed meanwhile
            }

            if (target != "anon_inode:inotify")
            {
                continue;
            }

            string info;
            try
            {
                info = File.ReadAllText(Path.Combine("/proc/self/fdinfo", Path.GetFileName(fd)));
            }
            catch (IOException)
            {
                continue;
            }

            foreach (var line in info.Split('\n').Where(static l => l.StartsWith("inotify wd:", StringComparison.Ordinal)))
            {
                var ino = line.Split(' ').First(static f => f.StartsWith("ino:", StringComparison.Ordinal))[4..];
                inodes.Add(ulong.Parse(ino, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }

        return inodes;
    }

    private static ulong Inode(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        var text = stat.StandardOutput.ReadToEnd();
        stat.WaitForExit();
        return ulong.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }
}
