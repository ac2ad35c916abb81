using System.Diagnostics;

namespace Tally.Cli.Tests.Agents;

/// <summary>A fact that needs git on the PATH: skipped (with the reason) when there is none.</summary>
internal sealed class GitFactAttribute : FactAttribute
{
    private static readonly bool HasGit = Probe();

    public GitFactAttribute()
    {
        if (!HasGit)
        {
            Skip = "git is not installed";
        }
    }

    private static bool Probe()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            git!.WaitForExit();
            return git.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
