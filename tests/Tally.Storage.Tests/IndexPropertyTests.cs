using System.Text;
using Tally.Storage.Sqlite;
using Xunit.Abstractions;

namespace Tally.Storage.Tests;

/// <summary>
/// Invariant 1: whatever sequence of appends (half-lines included), truncations, replacements, deletions,
/// duplicate copies and killed runs came before, the index's totals equal those of a fresh full scan of every
/// byte any completed sync saw. Every completed sync archives the files as they were, and a fresh index built
/// from the archive is the reference. Each scenario is driven by a seed; a failure names it and its steps.
/// </summary>
public class IndexPropertyTests(ITestOutputHelper output)
{
    private static readonly int Scenarios = int.TryParse(Environment.GetEnvironmentVariable("TALLY_PROPERTY_SCENARIOS"), out var n) ? n : 40;
    private const int StepsPerScenario = 30;

    private static readonly string[] Paths =
    [
        "-home-a-app/s1.jsonl",
        "-home-a-app/s2.jsonl",
        "-home-a-app/s1/subagents/agent-x.jsonl",
        "-home-a-blog/s3.jsonl",
    ];

    [Fact]
    public async Task Index_totals_equal_a_fresh_full_scan_after_any_sequence()
    {
        for (var seed = 1; seed <= Scenarios; seed++)
        {
            var log = new List<string>();
            try
            {
                await RunScenario(seed, log);
            }
            catch (Exception ex)
            {
                output.WriteLine($"seed {seed} failed after: {string.Join(" ; ", log)}");
                throw new InvalidOperationException($"seed {seed}: {ex.Message}\nsteps: {string.Join(" ; ", log)}", ex);
            }
        }
    }

    private static async Task RunScenario(int seed, List<string> log)
    {
        var random = new Random(seed);
        await using var index = new IndexHarness();
        var pool = LinePool(random);
        var pending = new Dictionary<string, string>(); // path -> rest of a half-written line
        var fakeEpoch = DateTime.UtcNow.AddDays(1);
        var clock = fakeEpoch;
        var snapshots = 0;

        for (var step = 0; step < StepsPerScenario; step++)
        {
            var relative = Paths[random.Next(Paths.Length)];
            var path = index.ProjectFile(relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var op = random.Next(100);
            if (op < 30)
            {
                var lines = Enumerable.Range(0, random.Next(1, 6)).Select(_ => pool[random.Next(pool.Count)]).ToList();
                var text = Complete(pending, path) + string.Join("", lines.Select(l => l + "\n"));
                await File.AppendAllTextAsync(path, text);
                log.Add($"append {lines.Count} to {relative}");
            }
            else if (op < 42)
            {
                var line = pool[random.Next(pool.Count)];
                var cut = random.Next(1, line.Length);
                await File.AppendAllTextAsync(path, Complete(pending, path) + line[..cut]);
                pending[path] = line[cut..] + "\n";
                log.Add($"half-line to {relative}");
            }
            else if (op < 50 && File.Exists(path))
            {
                var bytes = await File.ReadAllBytesAsync(path);
                var newlines = bytes.Select((b, i) => (b, i)).Where(x => x.b == (byte)'\n').Select(x => x.i + 1).Prepend(0).ToList();
                var keep = random.Next(3) == 0 ? random.Next(bytes.Length + 1) : newlines[random.Next(newlines.Count)];
                await File.WriteAllBytesAsync(path, bytes[..keep]);
                pending.Remove(path);
                log.Add($"truncate {relative} to {keep}");
            }
            else if (op < 58)
            {
                var lines = Enumerable.Range(0, random.Next(0, 5)).Select(_ => pool[random.Next(pool.Count)]);
                var temp = path + ".tmp";
                await File.WriteAllTextAsync(temp, string.Join("", lines.Select(l => l + "\n")));
                File.Move(temp, path, overwrite: true);
                pending.Remove(path);
                log.Add($"replace {relative}");
            }
            else if (op < 63 && File.Exists(path))
            {
                File.Delete(path);
                pending.Remove(path);
                log.Add($"delete {relative}");
            }
            else if (op < 70 && File.Exists(path))
            {
                var copy = index.ProjectFile($"-home-a-app/copy-{step}.jsonl");
                File.Copy(path, copy);
                log.Add($"copy {relative}");
            }
            else if (op < 80)
            {
                var killAt = random.Next(1, 6);
                var commits = 0;
                index.Store.BeforeCommit = _ =>
                {
                    if (++commits == killAt)
                    {
                        throw new SimulatedCrashException();
                    }
                };
                try
                {
                    await index.SyncAsync(maxRecordsPerBatch: random.Next(1, 4), parallelism: 1 + random.Next(2));
                    log.Add($"sync (kill at commit {killAt} not reached)");
                }
                catch (SimulatedCrashException)
                {
                    log.Add($"killed sync at commit {killAt}");
                }
                finally
                {
                    index.Store.BeforeCommit = null;
                }

                // The next run after a crash finds the index consistent and finishes the work.
                await index.SyncAsync(maxRecordsPerBatch: random.Next(1, 8));
                log.Add("recovery sync");
                snapshots = Archive(index, snapshots);
                await AssertMatchesFreshScan(index, snapshots);
            }
            else
            {
                await index.SyncAsync(maxRecordsPerBatch: random.Next(1, 8), parallelism: 1 + random.Next(2));
                log.Add("sync");
                snapshots = Archive(index, snapshots);
                await AssertMatchesFreshScan(index, snapshots);
            }

            // Time passes between steps, as it does between real writes: what this step wrote gets a later file
            // time (file times have a coarse tick), and files it did not touch keep theirs, so syncs skip them.
            clock = clock.AddSeconds(1);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(index.ClaudeDir, "projects"), "*.jsonl", SearchOption.AllDirectories))
            {
                if (File.GetLastWriteTimeUtc(file) < fakeEpoch)
                {
                    File.SetLastWriteTimeUtc(file, clock);
                }
            }
        }
    }

    private static string Complete(Dictionary<string, string> pending, string path) =>
        pending.Remove(path, out var rest) && File.Exists(path) ? rest : string.Empty;

    private static List<string> LinePool(Random random)
    {
        var pool = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var id = $"msg_{i}";
            var session = random.Next(2) == 0 ? "s1" : "s2";
            // A streamed response: early lines with placeholder output, the last with the final count.
            pool.Add(Lines.Assistant(id, 3, 1, session: session, at: $"2026-11-20T10:{i:00}:01.000Z"));
            pool.Add(Lines.Assistant(id, 3, 100 + i, session: session, at: $"2026-11-20T10:{i:00}:02.000Z"));
            // A sidechain replay of it with more tokens, which must lose.
            if (i % 3 == 0)
            {
                pool.Add(Lines.Assistant(id, 3, 900, session: "side", sidechain: true, at: $"2026-11-20T10:{i:00}:03.000Z"));
            }
        }

        // Lines without a message id (keyed by uuid), and malformed lines.
        pool.Add(Lines.Assistant(null, 5, 5, uuid: "legacy-1"));
        pool.Add(Lines.Assistant(null, 7, 7, uuid: "legacy-2", model: "claude-unknown-99"));
        pool.Add("{\"type\":\"assistant\",\"message\":{\"usage\":");
        pool.Add(Lines.User());
        return pool;
    }

    private static int Archive(IndexHarness index, int snapshots)
    {
        var target = Path.Combine(index.Root, "archive", $"snapshot-{snapshots}");
        IndexHarness.CopyDirectory(index.ClaudeDir, target);
        return snapshots + 1;
    }

    private static async Task AssertMatchesFreshScan(IndexHarness index, int snapshots)
    {
        var fresh = Path.Combine(index.Root, "fresh", $"{snapshots}.db");
        await using var store = SqliteUsageStore.Open(fresh);
        for (var i = 0; i < snapshots; i++)
        {
            await index.SyncAsync(store, Path.Combine(index.Root, "archive", $"snapshot-{i}"));
        }

        var expected = await IndexHarness.TotalsAsync(store);
        var actual = await IndexHarness.TotalsAsync(index.Store);
        if (expected.Fingerprint != actual.Fingerprint && Environment.GetEnvironmentVariable("TALLY_DEBUG_PROPERTY") is not null)
        {
            Dump(fresh, "FRESH");
            Dump(index.DbPath, "INDEX");
        }

        Assert.Equal(expected.Fingerprint, actual.Fingerprint);
        Assert.Equal(expected.Cost, actual.Cost);
    }

    private static void Dump(string db, string label)
    {
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT r.key, r.ts, r.rank, r.session_id, r.agent_id, f.path, r.line FROM records r LEFT JOIN files f ON f.id = r.file_id ORDER BY r.key";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            File.AppendAllText("/tmp/tally-dump.txt", $"{label} {r.GetString(0)} ts={r.GetInt64(1)} rank={r.GetString(2)} {r.GetValue(3)} {r.GetValue(4)} {r.GetValue(5)}:{r.GetValue(6)}\n");
        }
    }

    private sealed class SimulatedCrashException : Exception
    {
        public SimulatedCrashException()
            : base("simulated crash before commit")
        {
        }
    }
}
