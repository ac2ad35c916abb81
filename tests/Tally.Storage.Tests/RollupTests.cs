using Tally.Core.Pricing;
using Tally.Core.Storage;
using Tally.Ingest.ClaudeCode;
using Tally.Ingest.Demo;
using Tally.Ingest.Sync;
using Tally.Storage.Sqlite;

namespace Tally.Storage.Tests;

/// <summary>The rollup that answers reports must always say what the records say.</summary>
public class RollupTests
{
    private const GroupBy Everything = GroupBy.QuarterHour | GroupBy.Model | GroupBy.Session | GroupBy.Project | GroupBy.Agent;
    private const GroupBy ByTool = GroupBy.QuarterHour | GroupBy.Model | GroupBy.Project | GroupBy.Tool;

    /// <summary>Both refresh paths: a few dirty buckets through the time index, many in one pass over the records
    /// (also with so few groups held in memory that they are written out in several additive passes).</summary>
    [Theory]
    [InlineData(64, 65_536)]
    [InlineData(int.MaxValue, 65_536)]
    [InlineData(0, 65_536)]
    [InlineData(0, 3)]
    public async Task The_rollup_equals_the_records_after_syncs_appends_replays_and_repricing(int fewDirtyBuckets, int maxGroupsInMemory)
    {
        using var temp = new TempDirectory();
        var data = Path.Combine(temp.Path, "claude");
        new CorpusGenerator().Write(data, CorpusOptions.Demo(new DateOnly(2026, 11, 20)) with { TargetBytes = 300_000 });
        await using var store = SqliteUsageStore.Open(Path.Combine(temp.Path, "index.db"));
        store.FewDirtyBuckets = fewDirtyBuckets;
        store.MaxGroupsInMemory = maxGroupsInMemory;
        await SyncAsync(store, data, PriceCatalog.Embedded);
        await AssertRollupMatchesRecordsAsync(store);

        // A copy of a transcript replayed as a sidechain, and the same file again: updates, not inserts.
        var first = Directory.EnumerateFiles(Path.Combine(data, "projects"), "*.jsonl", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).First();
        var replay = File.ReadAllLines(first).Select(l => l.Replace("\"isSidechain\":false", "\"isSidechain\":true", StringComparison.Ordinal));
        File.WriteAllLines(Path.Combine(Path.GetDirectoryName(first)!, "replay.jsonl"), replay);
        File.Copy(first, Path.Combine(Path.GetDirectoryName(first)!, "copy.jsonl"));
        await SyncAsync(store, data, PriceCatalog.Embedded);
        await AssertRollupMatchesRecordsAsync(store);

        // New prices re-price every record and so every rollup row.
        var dearer = PriceCatalog.Embedded.Merge(PriceCatalog.Load(new MemoryStream("""
            {"version":"test","models":[{"id":"claude-sonnet-4-5-20250929","prices":[{"input":30,"output":150}]}]}
            """u8.ToArray())));
        await SyncAsync(store, data, dearer);
        await AssertRollupMatchesRecordsAsync(store);
    }

    /// <summary>
    /// A sync adds the rows it inserts to the rollup in the transaction that commits them: only the buckets of rows an
    /// upsert updated are left dirty for a refresh, every other bucket of the rollup (read straight from its tables, no
    /// refresh) equals its records after every commit, and a sync that dies before a commit leaves neither the records
    /// nor their sums.
    /// </summary>
    [Fact]
    public async Task A_sync_adds_the_rows_it_inserts_to_the_rollup_as_it_commits()
    {
        using var temp = new TempDirectory();
        var data = Path.Combine(temp.Path, "claude");
        var file = Path.Combine(temp.Path, "index.db");
        new CorpusGenerator().Write(data, CorpusOptions.Demo(new DateOnly(2026, 11, 20)) with { TargetBytes = 300_000 });
        var files = ClaudeDataLocator.Discover([data]).Files;
        await using var store = SqliteUsageStore.Open(file);

        // A crash before the third commit: two transactions' records and sums stay, the third's are gone.
        var batches = 0;
        store.BeforeCommit = _ =>
        {
            if (++batches == 3)
            {
                throw new IOException("crash before commit");
            }
        };
        var sync = new TranscriptSync(store, PriceCatalog.Embedded, new ProjectResolver(), parallelism: 1, maxRecordsPerBatch: 16, recordsPerCommit: 1);
        await Assert.ThrowsAsync<IOException>(() => sync.RunAsync(files, null, CancellationToken.None));
        var afterCrash = RawRollup(file);
        Assert.True(afterCrash.Records > 0);
        Assert.Equal(afterCrash.RecordGroups, afterCrash.RollupGroups);
        Assert.Equal(afterCrash.RecordGroups, afterCrash.ToolsGroups);

        // The rest, in many small transactions (each tells the rows it inserted from the rows it updated).
        store.BeforeCommit = null;
        await new TranscriptSync(store, PriceCatalog.Embedded, new ProjectResolver(), maxRecordsPerBatch: 16, recordsPerCommit: 40).RunAsync(files, null, CancellationToken.None);
        var synced = RawRollup(file);
        Assert.True(synced.Records > afterCrash.Records);
        Assert.InRange(synced.DirtyBuckets, 0, synced.Buckets / 4);
        Assert.NotEmpty(synced.RecordGroups);
        Assert.Equal(synced.RecordGroups, synced.RollupGroups);
        Assert.Equal(synced.RecordGroups, synced.ToolsGroups);
        await AssertRollupMatchesRecordsAsync(store);
    }

    /// <summary>The rollups' figures per clean bucket as their tables hold them, beside the records' (no refresh runs).</summary>
    private static (long Records, long Buckets, long DirtyBuckets, string RecordGroups, string RollupGroups, string ToolsGroups) RawRollup(string file)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False;Mode=ReadOnly");
        connection.Open();
        string Text(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        }

        long Number(string sql) => long.Parse(Text(sql), System.Globalization.CultureInfo.InvariantCulture);
        const string Clean = "NOT IN (SELECT bucket FROM dirty)";
        return (
            Number("SELECT COUNT(*) FROM records;"),
            Number("SELECT COUNT(DISTINCT ts / 900000) FROM records;"),
            Number("SELECT COUNT(DISTINCT bucket) FROM dirty;"),
            Text($"""
                SELECT group_concat(g, ';') FROM (SELECT (ts / 900000) || ':' || COUNT(*) || ':' || SUM(input) || ':' || SUM(output) || ':' || SUM(cw5m + cw1h)
                  || ':' || SUM(cache_read) || ':' || SUM(cost) || ':' || MIN(ts) || ':' || MAX(ts) AS g
                  FROM records WHERE ts / 900000 {Clean} GROUP BY ts / 900000 ORDER BY ts / 900000);
                """),
            Rollup("rollup"),
            Rollup("rollup_tools"));

        string Rollup(string table) => Text($"""
            SELECT group_concat(g, ';') FROM (SELECT bucket || ':' || SUM(calls) || ':' || SUM(input) || ':' || SUM(output) || ':' || SUM(cw5m + cw1h)
              || ':' || SUM(cache_read) || ':' || SUM(cost) || ':' || MIN(min_ts) || ':' || MAX(max_ts) AS g
              FROM {table} WHERE bucket {Clean} GROUP BY bucket ORDER BY bucket);
            """);
    }

    /// <summary>An index written before the tools rollup existed (schema 7) gains it, filled from its records, when opened.</summary>
    [Fact]
    public async Task An_older_index_gains_the_tools_rollup_filled_from_its_records()
    {
        using var temp = new TempDirectory();
        var file = await SyncedIndexAsync(temp);

        using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
        {
            old.Open();
            using var downgrade = old.CreateCommand();
            downgrade.CommandText = "DROP TABLE dirs; DROP TABLE rollup_tools; ALTER TABLE records DROP COLUMN source; PRAGMA user_version = 7;";
            downgrade.ExecuteNonQuery();
        }

        await using (var store = SqliteUsageStore.Open(file))
        {
            var fromRollup = await store.AggregateAsync(new UsageQuery { GroupBy = ByTool }, CancellationToken.None);
            var fromRecords = await store.AggregateAsync(new UsageQuery { GroupBy = ByTool, From = DateTimeOffset.FromUnixTimeMilliseconds(1) }, CancellationToken.None);
            Assert.Contains(fromRollup, static r => r.Tool is not null);
            Assert.Equal(Sorted(fromRecords), Sorted(fromRollup));
        }
    }

    /// <summary>An index from before the session index covered the rollup's sums (schema 10) gains the covering one when
    /// opened: grouping by session, project and model then reads the index alone, with or without bounds on time, and
    /// says what the records say.</summary>
    [Fact]
    public async Task An_older_index_gains_the_covering_session_index_and_session_reports_read_it_alone()
    {
        using var temp = new TempDirectory();
        var file = await SyncedIndexAsync(temp);

        Execute(file, "DROP INDEX rollup_session; CREATE INDEX rollup_session ON rollup (session_id, project, model); PRAGMA user_version = 10;");
        Assert.Equal(["session_id", "project", "model"], IndexColumns(file));

        await using (var store = SqliteUsageStore.Open(file))
        {
            const GroupBy Sessions = GroupBy.Session | GroupBy.Project | GroupBy.Model;
            var fromRollup = await store.AggregateAsync(new UsageQuery { GroupBy = Sessions }, CancellationToken.None);
            var fromRecords = await store.AggregateAsync(new UsageQuery { GroupBy = Sessions, From = DateTimeOffset.FromUnixTimeMilliseconds(1) }, CancellationToken.None);
            Assert.NotEmpty(fromRollup);
            Assert.Equal(Sorted(fromRecords), Sorted(fromRollup));
        }

        Assert.Equal(
            ["session_id", "project", "model", "calls", "input", "output", "cw5m", "cw1h", "cache_read", "web_search", "cost", "cost_auto",
             "cost_reported", "reported_calls", "unpriced_calls", "long_calls", "min_ts", "max_ts"],
            IndexColumns(file));

        // The session report's query (SqliteUsageStore.AggregateAsync on the rollup), unbounded and bounded below only.
        const string Sums = """
            SUM(input), SUM(output), SUM(cw5m), SUM(cw1h), SUM(cache_read), SUM(web_search), SUM(calls), SUM(cost_auto),
            SUM(unpriced_calls), SUM(long_calls), SUM(reported_calls), MIN(min_ts), MAX(max_ts)
            """;
        foreach (var bound in new[] { string.Empty, " AND bucket >= 1991712" })
        {
            var plan = Plan(file, $"SELECT NULLIF(session_id, ''), NULLIF(project, ''), model, {Sums} FROM rollup WHERE 1 = 1{bound} GROUP BY session_id, project, model;");
            Assert.Contains("USING COVERING INDEX rollup_session", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
        }
    }

    /// <summary>Rollup rows grouped in memory are the rows SQLite's GROUP BY gives, for every grouping and cost mode,
    /// bounded or not.</summary>
    [Fact]
    public async Task Grouping_the_rollup_in_memory_gives_what_SQLite_gives()
    {
        using var temp = new TempDirectory();
        var file = await SyncedIndexAsync(temp);
        await using var store = SqliteUsageStore.Open(file);
        GroupBy[] groupings =
        [
            Everything, ByTool, GroupBy.Session | GroupBy.Project | GroupBy.Model, GroupBy.Project | GroupBy.Session | GroupBy.Model,
            GroupBy.QuarterHour | GroupBy.Model, GroupBy.Model, GroupBy.Agent | GroupBy.Model, GroupBy.None,
        ];
        var checkedRows = 0;
        foreach (var groupBy in groupings)
        {
            foreach (var mode in Enum.GetValues<CostMode>())
            {
                foreach (var (from, until) in new (DateTimeOffset?, DateTimeOffset?)[] { (null, null), (new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 15, 6, 45, 0, TimeSpan.Zero)) })
                {
                    var query = new UsageQuery { GroupBy = groupBy, CostMode = mode, From = from, Until = until, BucketQuarters = 96, BucketShiftQuarters = 4 };
                    store.GroupRollupInMemory = false;
                    var bySqlite = await store.AggregateAsync(query, CancellationToken.None);
                    store.GroupRollupInMemory = true;
                    var inMemory = await store.AggregateAsync(query, CancellationToken.None);
                    Assert.NotEmpty(bySqlite);
                    Assert.Equal(Sorted(bySqlite), Sorted(inMemory));
                    checkedRows += bySqlite.Count;
                }
            }
        }

        Assert.True(checkedRows > 1000, $"only {checkedRows} rows compared");
    }

    private static void Execute(string file, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<string> IndexColumns(string file)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_index_info('rollup_session') ORDER BY seqno;";
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    private static string Plan(string file, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        using var reader = command.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read())
        {
            plan.Add(reader.GetString(3));
        }

        return string.Join("\n", plan);
    }

    /// <summary>An index file in <paramref name="temp"/> synced from a small demo corpus, closed.</summary>
    private static async Task<string> SyncedIndexAsync(TempDirectory temp)
    {
        var data = Path.Combine(temp.Path, "claude");
        var file = Path.Combine(temp.Path, "index.db");
        new CorpusGenerator().Write(data, CorpusOptions.Demo(new DateOnly(2026, 11, 20)) with { TargetBytes = 200_000 });
        await using var store = SqliteUsageStore.Open(file);
        await SyncAsync(store, data, PriceCatalog.Embedded);
        return file;
    }

    private static async Task SyncAsync(IUsageStore store, string data, PriceCatalog catalog)
    {
        var files = ClaudeDataLocator.Discover([data]).Files;
        await new TranscriptSync(store, catalog, new ProjectResolver()).RunAsync(files, null, CancellationToken.None);
    }

    private static async Task AssertRollupMatchesRecordsAsync(IUsageStore store)
    {
        foreach (var mode in Enum.GetValues<CostMode>())
        {
            // Bounds on quarter hours read the rollup; a bound 1 ms off a quarter hour reads the records.
            var fromRollup = await store.AggregateAsync(new UsageQuery { GroupBy = Everything, CostMode = mode }, CancellationToken.None);
            var fromRecords = await store.AggregateAsync(new UsageQuery { GroupBy = Everything, CostMode = mode, From = DateTimeOffset.FromUnixTimeMilliseconds(1) }, CancellationToken.None);
            Assert.NotEmpty(fromRollup);
            Assert.Equal(Sorted(fromRecords), Sorted(fromRollup));

            // Tool reports read the tools rollup on quarter-hour bounds.
            var toolsFromRollup = await store.AggregateAsync(new UsageQuery { GroupBy = ByTool, CostMode = mode }, CancellationToken.None);
            var toolsFromRecords = await store.AggregateAsync(new UsageQuery { GroupBy = ByTool, CostMode = mode, From = DateTimeOffset.FromUnixTimeMilliseconds(1) }, CancellationToken.None);
            Assert.Contains(toolsFromRollup, static r => r.Tool is not null);
            Assert.Contains(toolsFromRollup, static r => r.Tool is null);
            Assert.Equal(Sorted(toolsFromRecords), Sorted(toolsFromRollup));
        }
    }

    private static List<AggregateRow> Sorted(IEnumerable<AggregateRow> rows) =>
        [.. rows.OrderBy(r => r.Bucket).ThenBy(r => r.Model, StringComparer.Ordinal).ThenBy(r => r.SessionId, StringComparer.Ordinal)
            .ThenBy(r => r.Project, StringComparer.Ordinal).ThenBy(r => r.AgentId, StringComparer.Ordinal).ThenBy(r => r.Tool, StringComparer.Ordinal)];
}
