using Tally.Core.Agents;
using Tally.Ingest.Git;

namespace Tally.Ingest.Tests.Git;

public class GitWorktreeChangesTests
{
    [Fact]
    public void Numstat_lines_are_summed_and_binary_files_count_as_files_only()
    {
        const string Numstat = "3\t1\tsrc/a.cs\n-\t-\timg/logo.png\n10\t0\tdocs/with space.md\n\nnot a numstat line\n";
        Assert.Equal(new WorktreeChanges(13, 1, 3), GitWorktreeChanges.Parse(Numstat));
        Assert.Equal(new WorktreeChanges(0, 0, 0), GitWorktreeChanges.Parse(string.Empty));
    }

    [Fact]
    public async Task A_missing_directory_or_a_missing_git_gives_nothing()
    {
        using var temp = new TempDirectory();
        Assert.Null(await new GitWorktreeChanges().ReadAsync(Path.Combine(temp.Path, "gone"), CancellationToken.None));
        Assert.Null(await new GitWorktreeChanges(TimeSpan.FromSeconds(10), Path.Combine(temp.Path, "no-such-git")).ReadAsync(temp.Path, CancellationToken.None));
    }
}
