using Tally.Core.Storage;
using Tally.Core.Usage;
using Tally.Ingest.ClaudeCode;
using Tally.Ingest.Demo;
using Tally.Ingest.Sync;
using Tally.Storage.Sqlite;

namespace Tally.Storage.Tests;

/// <summary>
/// The generated corpus, indexed into a real SQLite file, against the ground truth the generator booked while it
/// wrote: per UTC day and model, the calls, tokens, long-context calls and web searches must match exactly.
/// </summary>
public class GeneratedCorpusTests
{
    private static readonly DateOnly EndDay = new(2026, 11, 20);

    /// <summary>The demo corpus, smaller, with truncated, blank and non-JSON lines and a half-written last line.</summary>
    private static CorpusOptions Nasty => CorpusOptions.Demo(EndDay) with { TargetBytes = 600_000, IncludeMalformedLines = true };

    /// <summary>Every option at its default (seed 1, six weeks, 2 MB, no malformed lines).</summary>
    private static CorpusOptions Defaults => new() { EndDay = EndDay };

    [Fact]
    public async Task The_nasty_corpus_indexes_to_its_ground_truth_per_day_and_model()
    {
        await using var index = new IndexHarness();
        var summary = new CorpusGenerator().Write(index.ClaudeDir, Nasty);
        var report = await index.SyncAsync();

        Assert.Equal(summary.Files, report.FilesSeen);
        Assert.Equal(summary.Expected, await DailyAsync(index.Store));
        Assert.True(summary.LongContextRequests > 0 && summary.WebSearchRequests > 0 && summary.MalformedLines > 0, "the corpus lacks a rare event");
    }

    [Fact]
    public async Task The_default_corpus_indexes_to_its_ground_truth_per_day_and_model()
    {
        await using var index = new IndexHarness();
        var summary = new CorpusGenerator().Write(index.ClaudeDir, Defaults);
        var report = await index.SyncAsync();

        Assert.Equal(summary.Expected, await DailyAsync(index.Store));
        Assert.Equal(0, report.Problems);
        Assert.Empty(await index.Store.ProblemsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Every_malformed_line_is_one_problem_except_blank_lines_and_the_half_written_last_line()
    {
        await using var index = new IndexHarness();
        var summary = new CorpusGenerator().Write(index.ClaudeDir, Nasty);
        var report = await index.SyncAsync();

        // The generator counts a blank line and a half-written last line as malformed; neither is a problem: a blank
        // line holds nothing, and a half-written line is waiting for the rest of its bytes.
        var (blank, unterminated) = CountBlankAndUnterminatedLines(index.ClaudeDir);
        Assert.Equal(1, unterminated);
        Assert.InRange(blank, 1, summary.MalformedLines);
        var problems = await index.Store.ProblemsAsync(CancellationToken.None);
        Assert.Equal(summary.MalformedLines - blank - unterminated, problems.Count);
        Assert.Equal(problems.Count, report.Problems);
        Assert.All(problems, p =>
        {
            Assert.True(File.Exists(p.File), p.File);
            Assert.InRange(p.Line, 1, File.ReadLines(p.File).Count());
            Assert.False(string.IsNullOrWhiteSpace(File.ReadLines(p.File).ElementAt((int)p.Line - 1)), $"{p.File}:{p.Line} is blank");
            Assert.False(string.IsNullOrWhiteSpace(p.Reason));
        });
    }

    [Fact]
    public async Task Syncing_the_same_corpus_again_adds_nothing()
    {
        await using var index = new IndexHarness();
        new CorpusGenerator().Write(index.ClaudeDir, Nasty);
        await index.SyncAsync();
        var before = await IndexHarness.TotalsAsync(index.Store);
        var problemsBefore = await index.Store.ProblemsAsync(CancellationToken.None);

        var again = await index.SyncAsync();

        Assert.Equal(0, again.FilesRead);
        Assert.Equal(0, again.BytesRead);
        Assert.Equal(0, again.RecordsRead);
        Assert.Equal(0, again.Problems);
        Assert.Equal(before.Fingerprint, (await IndexHarness.TotalsAsync(index.Store)).Fingerprint);
        Assert.Equal(problemsBefore, await index.Store.ProblemsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_copy_synced_file_by_file_in_shuffled_order_gives_identical_totals()
    {
        await using var index = new IndexHarness();
        var summary = new CorpusGenerator().Write(index.ClaudeDir, Nasty);
        await index.SyncAsync();

        var copy = Path.Combine(index.Root, "copy");
        IndexHarness.CopyDirectory(index.ClaudeDir, copy);
        var files = ClaudeDataLocator.Discover([copy]).Files.ToArray();
        new Random(7).Shuffle(files);
        await using var fresh = SqliteUsageStore.Open(Path.Combine(index.Root, "fresh", "tally.db"));
        var sync = new TranscriptSync(fresh, index.Catalog, new ProjectResolver(), parallelism: 1);
        foreach (var file in files)
        {
            await sync.RunAsync([file], null, CancellationToken.None);
        }

        var expected = await IndexHarness.TotalsAsync(index.Store);
        var actual = await IndexHarness.TotalsAsync(fresh);
        Assert.Equal(expected.Fingerprint, actual.Fingerprint);
        Assert.Equal(expected.Cost, actual.Cost);
        Assert.Equal(summary.Expected, await DailyAsync(fresh));
        Assert.Equal(
            (await index.Store.ProblemsAsync(CancellationToken.None)).Select(p => (Path.GetRelativePath(index.ClaudeDir, p.File), p.Line, p.Reason)),
            (await fresh.ProblemsAsync(CancellationToken.None)).Select(p => (Path.GetRelativePath(copy, p.File), p.Line, p.Reason)));
    }

    [Fact]
    public async Task A_run_killed_before_a_commit_then_resumed_matches_a_fresh_full_scan()
    {
        await using var index = new IndexHarness();
        var summary = new CorpusGenerator().Write(index.ClaudeDir, Nasty);
        var commits = 0;
        index.Store.BeforeCommit = _ =>
        {
            if (++commits == 9)
            {
                throw new IOException("killed before commit");
            }
        };
        await Assert.ThrowsAsync<IOException>(() => index.SyncAsync(maxRecordsPerBatch: 40));
        index.Store.BeforeCommit = null;
        var partial = await IndexHarness.TotalsAsync(index.Store);
        Assert.InRange(partial.Calls, 1, summary.Requests - 1);

        await index.SyncAsync(maxRecordsPerBatch: 40);

        await using var fresh = SqliteUsageStore.Open(Path.Combine(index.Root, "fresh", "tally.db"));
        await index.SyncAsync(fresh, index.ClaudeDir);
        Assert.Equal((await IndexHarness.TotalsAsync(fresh)).Fingerprint, (await IndexHarness.TotalsAsync(index.Store)).Fingerprint);
        Assert.Equal(await fresh.ProblemsAsync(CancellationToken.None), await index.Store.ProblemsAsync(CancellationToken.None));
        Assert.Equal(summary.Expected, await DailyAsync(index.Store));
    }

    /// <summary>The index's totals per UTC day and model, in the ground truth's shape and order.</summary>
    private static async Task<List<ExpectedDailyUsage>> DailyAsync(IUsageStore store)
    {
        var rows = await store.AggregateAsync(new UsageQuery { GroupBy = GroupBy.QuarterHour | GroupBy.Model, CostMode = CostMode.Calculate }, CancellationToken.None);
        return rows
            .GroupBy(r => (Day: DateOnly.FromDateTime(r.Bucket!.Value.UtcDateTime), Model: r.Model!))
            .OrderBy(g => g.Key.Day)
            .ThenBy(g => g.Key.Model, StringComparer.Ordinal)
            .Select(g => new ExpectedDailyUsage(
                g.Key.Day,
                g.Key.Model,
                (int)g.Sum(r => r.Calls),
                g.Aggregate(default(TokenCounts), (sum, r) => sum + r.Tokens),
                (int)g.Sum(r => r.WebSearchRequests),
                (int)g.Sum(r => r.LongContextCalls)))
            .ToList();
    }

    /// <summary>Blank lines, and files whose last line has no newline, across the corpus.</summary>
    private static (int Blank, int Unterminated) CountBlankAndUnterminatedLines(string claudeDir)
    {
        int blank = 0, unterminated = 0;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(claudeDir, "projects"), "*.jsonl", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(file);
            unterminated += bytes.Length > 0 && bytes[^1] != (byte)'\n' ? 1 : 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n' && (i == 0 || bytes[i - 1] == (byte)'\n'))
                {
                    blank++;
                }
            }
        }

        return (blank, unterminated);
    }
}
