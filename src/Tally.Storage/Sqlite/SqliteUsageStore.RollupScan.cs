using System.Runtime.InteropServices;

namespace Tally.Storage.Sqlite;

public sealed partial class SqliteUsageStore
{
    /// <summary>Groups summed in memory before they are written out (bounds a refresh's memory on any history).</summary>
    internal int MaxGroupsInMemory { get; set; } = 65_536;

    /// <summary>
    /// Many dirty buckets (a first sync): one pass over the records, summed here. SQLite's GROUP BY over six keys sorts
    /// every record and calls fifteen aggregate functions a row (0.35–0.5 s for 110k records); a scan in rowid order with
    /// a hash of groups costs a fraction of that. Groups are written with an additive upsert, so a history with more
    /// groups than <see cref="MaxGroupsInMemory"/> is written in several passes of bounded memory. Runs inside the
    /// refresh's transaction, after which the dirty list is cleared.
    /// </summary>
    private void RefreshMany()
    {
        var buckets = new HashSet<long>();
        using (var dirty = new RawStatement(_connection, "SELECT DISTINCT bucket FROM dirty;"))
        {
            while (dirty.Step())
            {
                buckets.Add(dirty.Int64(0));
            }

            dirty.Reset();
        }

        using (var delete = new RawStatement(_connection, "DELETE FROM rollup WHERE bucket IN (SELECT bucket FROM dirty);"))
        {
            delete.Execute();
        }

        var groups = new Dictionary<RollupKey, RollupSums>();
        var texts = new ColumnTexts(4);
        using var scan = new RawStatement(_connection, """
            SELECT ts, model, session_id, project, agent_id, catalog, input, output, cw5m, cw1h, cache_read, web_search,
                   cost, reported_cost, price_status, long_context
            FROM records;
            """);
        using var write = new RawStatement(_connection, $"""
            INSERT INTO rollup ({RollupColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
            ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, input = input + excluded.input, output = output + excluded.output,
                cw5m = cw5m + excluded.cw5m, cw1h = cw1h + excluded.cw1h, cache_read = cache_read + excluded.cache_read,
                web_search = web_search + excluded.web_search, cost = cost + excluded.cost, cost_auto = cost_auto + excluded.cost_auto,
                cost_reported = cost_reported + excluded.cost_reported, reported_calls = reported_calls + excluded.reported_calls,
                unpriced_calls = unpriced_calls + excluded.unpriced_calls, long_calls = long_calls + excluded.long_calls,
                min_ts = MIN(min_ts, excluded.min_ts), max_ts = MAX(max_ts, excluded.max_ts);
            """);
        while (scan.Step())
        {
            var ts = scan.Int64(0);
            var bucket = ts / SqliteSchema.BucketMs;
            if (!buckets.Contains(bucket))
            {
                continue;
            }

            var key = new RollupKey(bucket, texts.Get(scan, 1, 0), texts.Get(scan, 2, 1), texts.Get(scan, 3, 2), texts.Get(scan, 4, 3), scan.Int64(5));
            ref var sums = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, key, out var existed);
            if (!existed)
            {
                sums.MinTs = ts;
                sums.MaxTs = ts;
            }

            var cost = scan.Int64(12);
            var reported = scan.IsNull(13) ? (long?)null : scan.Int64(13);
            sums.Calls++;
            sums.Input += scan.Int64(6);
            sums.Output += scan.Int64(7);
            sums.Cw5m += scan.Int64(8);
            sums.Cw1h += scan.Int64(9);
            sums.CacheRead += scan.Int64(10);
            sums.WebSearch += scan.Int64(11);
            sums.Cost += cost;
            sums.CostAuto += reported ?? cost;
            sums.CostReported += reported ?? 0;
            sums.ReportedCalls += reported is null ? 0 : 1;
            sums.UnpricedCalls += scan.Int64(14) == 1 ? 1 : 0;
            sums.LongCalls += scan.Int64(15);
            sums.MinTs = Math.Min(sums.MinTs, ts);
            sums.MaxTs = Math.Max(sums.MaxTs, ts);
            if (groups.Count >= MaxGroupsInMemory)
            {
                WriteGroups(write, groups);
            }
        }

        scan.Reset();
        WriteGroups(write, groups);
        using var clear = new RawStatement(_connection, "DELETE FROM dirty;");
        clear.Execute();
    }

    private static void WriteGroups(RawStatement write, Dictionary<RollupKey, RollupSums> groups)
    {
        foreach (var (key, sums) in groups)
        {
            write.Bind(1, key.Bucket);
            write.Bind(2, key.Model);
            write.Bind(3, key.Session);
            write.Bind(4, key.Project);
            write.Bind(5, key.Agent);
            write.Bind(6, key.Catalog);
            write.Bind(7, sums.Calls);
            write.Bind(8, sums.Input);
            write.Bind(9, sums.Output);
            write.Bind(10, sums.Cw5m);
            write.Bind(11, sums.Cw1h);
            write.Bind(12, sums.CacheRead);
            write.Bind(13, sums.WebSearch);
            write.Bind(14, sums.Cost);
            write.Bind(15, sums.CostAuto);
            write.Bind(16, sums.CostReported);
            write.Bind(17, sums.ReportedCalls);
            write.Bind(18, sums.UnpricedCalls);
            write.Bind(19, sums.LongCalls);
            write.Bind(20, sums.MinTs);
            write.Bind(21, sums.MaxTs);
            write.Execute();
        }

        groups.Clear();
    }

    /// <summary>A rollup row's identity; null text columns are stored as '' (as the SQL refresh writes them).</summary>
    private readonly record struct RollupKey(long Bucket, string Model, string Session, string Project, string Agent, long Catalog);

    private struct RollupSums
    {
        public long Calls;
        public long Input;
        public long Output;
        public long Cw5m;
        public long Cw1h;
        public long CacheRead;
        public long WebSearch;
        public long Cost;
        public long CostAuto;
        public long CostReported;
        public long ReportedCalls;
        public long UnpricedCalls;
        public long LongCalls;
        public long MinTs;
        public long MaxTs;
    }

    /// <summary>
    /// Strings for a scan's text columns, reused while a column repeats the previous row's bytes (consecutive records
    /// mostly share their session, project and model), so a scan does not make a string per value.
    /// </summary>
    private sealed class ColumnTexts(int columns)
    {
        private readonly byte[][] _bytes = Enumerable.Repeat(Array.Empty<byte>(), columns).ToArray();
        private readonly string[] _strings = Enumerable.Repeat(string.Empty, columns).ToArray();

        /// <summary>The text in <paramref name="column"/> ('' for NULL), cached in <paramref name="slot"/>.</summary>
        public string Get(RawStatement statement, int column, int slot)
        {
            var bytes = statement.Bytes(column);
            if (bytes.SequenceEqual(_bytes[slot]))
            {
                return _strings[slot];
            }

            _bytes[slot] = bytes.ToArray();
            _strings[slot] = System.Text.Encoding.UTF8.GetString(bytes);
            return _strings[slot];
        }
    }
}
