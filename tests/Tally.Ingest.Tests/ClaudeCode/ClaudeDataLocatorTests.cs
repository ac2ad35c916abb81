using Tally.Ingest.ClaudeCode;

namespace Tally.Ingest.Tests.ClaudeCode;

public class ClaudeDataLocatorTests
{
    [Fact]
    public void Claude_config_dir_is_a_comma_separated_list_and_replaces_the_defaults()
    {
        var env = new Dictionary<string, string> { ["CLAUDE_CONFIG_DIR"] = "/a, ~/b ,", ["HOME"] = "/home/u" };
        Assert.Equal(["/a", "/home/u/b"], ClaudeDataLocator.DefaultRoots(k => env.GetValueOrDefault(k)));
    }

    [Fact]
    public void Defaults_are_the_xdg_config_dir_and_dot_claude()
    {
        var env = new Dictionary<string, string> { ["HOME"] = "/home/u" };
        Assert.Equal(["/home/u/.config/claude", "/home/u/.claude"], ClaudeDataLocator.DefaultRoots(k => env.GetValueOrDefault(k)));
        env["XDG_CONFIG_HOME"] = "/xdg";
        Assert.Equal(["/xdg/claude", "/home/u/.claude"], ClaudeDataLocator.DefaultRoots(k => env.GetValueOrDefault(k)));
    }

    [Fact]
    public void Every_jsonl_under_projects_at_any_depth_is_found_once()
    {
        using var dir = new TempDirectory();
        dir.File("one/projects/-p/s.jsonl", "{}\n");
        dir.File("one/projects/-p/s/subagents/agent-1.jsonl", "{}\n");
        dir.File("one/projects/-p/deep/er/still/x.jsonl", "{}\n");
        dir.File("one/projects/-p/notes.txt", "no");
        dir.File("one/other/skip.jsonl", "{}\n");
        var one = Path.Combine(dir.Path, "one");
        var found = ClaudeDataLocator.Discover([one, one, Path.Combine(dir.Path, "absent")]);
        Assert.Equal(3, found.Files.Count);
        Assert.All(found.Files, f => Assert.EndsWith(".jsonl", f.Path, StringComparison.Ordinal));
        Assert.Equal(3, found.Searched.Count);
        Assert.False(found.Searched[2].Exists);
        Assert.Equal(3, found.Files[0].Size);
    }
}
