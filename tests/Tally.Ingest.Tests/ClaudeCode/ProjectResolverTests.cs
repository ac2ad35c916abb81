using Tally.Ingest.ClaudeCode;

namespace Tally.Ingest.Tests.ClaudeCode;

public class ProjectResolverTests
{
    [Fact]
    public void A_git_worktree_collapses_into_its_main_repository()
    {
        using var dir = new TempDirectory();
        var main = Path.Combine(dir.Path, "app");
        Directory.CreateDirectory(Path.Combine(main, ".git", "worktrees", "fix-auth"));
        var worktree = Path.Combine(dir.Path, "elsewhere", "app-fix");
        dir.File("elsewhere/app-fix/.git", $"gitdir: {main}/.git/worktrees/fix-auth\n");
        Directory.CreateDirectory(Path.Combine(worktree, "src"));

        var resolver = new ProjectResolver();
        Assert.Equal(main, resolver.Resolve(Path.Combine(worktree, "src"), null));
        Assert.Equal(main, resolver.Resolve(main + "/", null));
    }

    [Fact]
    public void A_directory_inside_a_repository_belongs_to_the_repository()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "repo", ".git"));
        Directory.CreateDirectory(Path.Combine(dir.Path, "repo", "a", "b"));
        Assert.Equal(Path.Combine(dir.Path, "repo"), new ProjectResolver().Resolve(Path.Combine(dir.Path, "repo", "a", "b"), null));
    }

    [Theory]
    [InlineData("/gone/src/app/.worktrees/fix-auth", "/gone/src/app")]
    [InlineData("/gone/src/app/.worktrees/fix-auth/sub/dir", "/gone/src/app")]
    [InlineData("/gone/src/app/.claude/worktrees/agent-2", "/gone/src/app")]
    [InlineData("/gone/src/app-wt-fix-auth", "/gone/src/app")]
    [InlineData("/gone/src/plain", "/gone/src/plain")]
    public void When_the_path_is_gone_the_patterns_decide(string cwd, string project)
    {
        Assert.Equal(project, new ProjectResolver().Resolve(cwd, null));
    }

    [Fact]
    public void No_directory_gives_the_fallback()
    {
        Assert.Equal("-home-a-app", new ProjectResolver().Resolve(null, "-home-a-app"));
    }
}
