using Tally.Core.Storage;
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

    [Fact]
    public void Sizes_and_times_are_the_ones_dotnet_gives_and_symbolic_links_are_not_followed()
    {
        using var dir = new TempDirectory();
        var file = dir.File("c/projects/-p/s.jsonl", "{}\n{}\n");
        var agent = dir.File("c/projects/-p/s/subagents/agent-1.jsonl", "{}\n");
        File.SetLastWriteTimeUtc(agent, new DateTime(2026, 11, 20, 9, 50, 4, 123, DateTimeKind.Utc).AddTicks(4567));
        var outside = dir.File("outside/o.jsonl", "{}\n");
        File.CreateSymbolicLink(Path.Combine(dir.Path, "c/projects/-p/link.jsonl"), outside);
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "c/projects/-linked"), Path.GetDirectoryName(outside)!);

        var found = ClaudeDataLocator.Discover([Path.Combine(dir.Path, "c")]).Files.OrderBy(static f => f.Path, StringComparer.Ordinal).ToList();
        Assert.Equal([file, agent], found.Select(static f => f.Path));
        foreach (var f in found)
        {
            var info = new FileInfo(f.Path);
            Assert.Equal((info.Length, info.LastWriteTimeUtc.Ticks), (f.Size, f.ModifiedTicks));
        }
    }

    [Fact]
    public void A_kept_listing_is_trusted_only_while_the_stamp_holds_and_it_was_settled()
    {
        using var dir = new TempDirectory();
        var file = dir.File("c/projects/-p/s.jsonl", "{}\n");
        var roots = new[] { Path.Combine(dir.Path, "c") };
        var project = Path.GetDirectoryName(file)!;
        var later = new TestClock(DateTimeOffset.UtcNow.AddMinutes(1));
        var first = ClaudeDataLocator.Discover(roots, [], later);
        Assert.Equal((2, 0), (first.DirectoriesListed, first.DirectoriesReused));
        var kept = first.Listed.Single(l => l.Path == project);
        Assert.Equal(["s.jsonl"], kept.Files);
        Assert.True(kept.IsSettled);

        // A settled listing with the directory's stamp is what the directory holds: here it says the transcript is not
        // there (no directory could do this; it shows that the listing, not the disk, was read).
        var emptied = kept with { Files = [] };
        var others = first.Listed.Where(l => l.Path != project).ToList();
        var reused = ClaudeDataLocator.Discover(roots, [.. others, emptied], later);
        Assert.Empty(reused.Files);
        Assert.Equal((0, 2), (reused.DirectoriesListed, reused.DirectoriesReused));
        Assert.Empty(reused.Listed);

        // Any other stamp, or a listing taken within the settle time of the directory's last change, is listed again.
        foreach (var untrusted in new[]
        {
            emptied with { Stamp = emptied.Stamp with { ModifiedNs = emptied.Stamp.ModifiedNs + 1 } },
            emptied with { Stamp = emptied.Stamp with { ChangedNs = emptied.Stamp.ChangedNs + 1 } },
            emptied with { Stamp = emptied.Stamp with { Inode = emptied.Stamp.Inode + 1 } },
            emptied with { Stamp = emptied.Stamp with { Device = emptied.Stamp.Device + 1 } },
            emptied with { ListedAtNs = Math.Max(emptied.Stamp.ModifiedNs, emptied.Stamp.ChangedNs) + (long)DirectoryListing.SettleTime.TotalNanoseconds - 1 },
        })
        {
            var listed = ClaudeDataLocator.Discover(roots, [.. others, untrusted], later);
            Assert.Equal([file], listed.Files.Select(static f => f.Path));
            Assert.Equal((1, 1), (listed.DirectoriesListed, listed.DirectoriesReused));
            var fresh = listed.Listed.Single();
            Assert.Equal((kept.Path, kept.Stamp, kept.ListedAtNs), (fresh.Path, fresh.Stamp, fresh.ListedAtNs));
            Assert.Equal(kept.Files, fresh.Files);
        }

        // A transcript a kept listing names but that is gone is not found; a directory it names but that is gone neither,
        // and a kept directory no walk met is reported gone.
        var ghost = kept with { Files = ["gone.jsonl", "s.jsonl"], Directories = ["gone"] };
        var stale = kept with { Path = Path.Combine(project, "old") };
        var withGhost = ClaudeDataLocator.Discover(roots, [.. others, ghost, stale], later);
        Assert.Equal([file], withGhost.Files.Select(static f => f.Path));
        Assert.Equal([stale.Path], withGhost.Gone);
    }
}
