using Tally.Ingest.Sync;

namespace Tally.Ingest.Tests.Sync;

/// <summary>The watcher hands over the transcripts that changed, and only those (real inotify on a temporary folder).</summary>
public class TranscriptWatcherTests
{
    // A bound for the test never to hang on a broken watcher, not a timing claim: events arrive in milliseconds.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_growing_transcript_and_a_new_subagent_folder_are_reported_and_nothing_else()
    {
        using var temp = new TempDirectory();
        var projects = Path.Combine(temp.Path, "projects");
        var project = Directory.CreateDirectory(Path.Combine(projects, "-home-me-app")).FullName;
        var session = Path.Combine(project, "s1.jsonl");
        var quiet = Path.Combine(project, "s0.jsonl");
        await File.WriteAllTextAsync(session, "{}\n");
        await File.WriteAllTextAsync(quiet, "{}\n");
        using var watcher = new TranscriptWatcher([projects, Path.Combine(temp.Path, "absent")], TimeSpan.FromMilliseconds(50));
        Assert.Equal(1, watcher.Watching);

        await File.AppendAllTextAsync(session, "{\"a\":1}\n");
        await File.WriteAllTextAsync(Path.Combine(project, "notes.txt"), "not a transcript");
        Assert.Equal([session], await NextAsync(watcher));

        var subagents = Path.Combine(project, "s1", "subagents");
        Directory.CreateDirectory(subagents);
        var agent = Path.Combine(subagents, "agent-a1.jsonl");
        await File.WriteAllTextAsync(agent, "{}\n");
        Assert.Contains(agent, await NextAsync(watcher));

        Assert.Empty(await watcher.WaitAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None) ?? ["overflow"]);
    }

    [Fact]
    public async Task A_folder_the_system_will_not_watch_is_reported_and_polled_instead_of_failing()
    {
        using var temp = new TempDirectory();
        var watched = Directory.CreateDirectory(Path.Combine(temp.Path, "a", "projects")).FullName;
        var refused = Directory.CreateDirectory(Path.Combine(temp.Path, "b", "projects")).FullName;
        const string Limit = "The configured user limit (128) on the number of inotify instances has been reached.";
        using var watcher = new TranscriptWatcher([watched, refused], TimeSpan.FromMilliseconds(50), w =>
        {
            if (w.Path == refused)
            {
                throw new IOException(Limit);
            }

            w.EnableRaisingEvents = true;
        });

        Assert.Equal(1, watcher.Watching);
        Assert.Equal([$"{refused}: {Limit}"], watcher.Unwatched);

        // A quiet wait ends early asking for a full sync (which reads the unwatched folder), not with "nothing changed".
        Assert.Null(await watcher.WaitAsync(Patience, CancellationToken.None));

        // The folder that is watched still reports its changes.
        var session = Path.Combine(watched, "-home-me-app", "s1.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(session)!);
        await File.WriteAllTextAsync(session, "{}\n");
        Assert.Contains(session, await NextChangesAsync(watcher));
    }

    private static async Task<IReadOnlyList<string>> NextChangesAsync(TranscriptWatcher watcher)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            if (await watcher.WaitAsync(Patience, timeout.Token) is { Count: > 0 } batch)
            {
                return batch;
            }
        }
    }

    private static async Task<IReadOnlyList<string>> NextAsync(TranscriptWatcher watcher)
    {
        var found = new List<string>();
        using var timeout = new CancellationTokenSource(Patience);
        while (found.Count == 0)
        {
            var batch = await watcher.WaitAsync(Patience, timeout.Token);
            Assert.NotNull(batch);
            found.AddRange(batch);
        }

        return found;
    }
}
