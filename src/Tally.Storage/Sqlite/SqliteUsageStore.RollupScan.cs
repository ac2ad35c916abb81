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

        using (var delete = new RawStatement(_connection, "DELETE FROM rollup_tools WHERE bucket IN (SELECT bucket FROM dirty);"))
        {
            delete.Execute();
        }

        var groups = new Dictionary<RollupKey, RollupSums>();
        var toolGroups = new Dictionary<ToolsKey, RollupSums>();
        var texts = new ColumnTexts(5);
        using var scan = new RawStatement(_connection, """
            SELECT ts, model, session_id, project, agent_id, catalog, input, output, cw5m, cw1h, cache_read, web_search,
                   cost, reported_cost, price_status, long_context, tools
            FROM records;
            """);
        using var write = new RawStatement(_connection, Upsert("rollup", RollupColumns));
        using var writeTools = new RawStatement(_connection, Upsert("rollup_tools", ToolsRollupColumns));
        while (scan.Step())
        {
            var ts = scan.Int64(0);
            var bucket = ts / SqliteSchema.BucketMs;
            if (!buckets.Contains(bucket))
            {
                continue;
            }

            var model = texts.Get(scan, 1, 0);
            var project = texts.Get(scan, 3, 2);
            var catalog = scan.Int64(5);
            var key = new RollupKey(bucket, model, texts.Get(scan, 2, 1), project, texts.Get(scan, 4, 3), catalog);
            Accumulate(ref CollectionsMarshal.GetValueRefOrAddDefault(groups, key, out var existed), existed, scan, ts);
            var toolsKey = new ToolsKey(bucket, texts.Get(scan, 16, 4), model, project, catalog);
            Accumulate(ref CollectionsMarshal.GetValueRefOrAddDefault(toolGroups, toolsKey, out existed), existed, scan, ts);
            if (groups.Count >= MaxGroupsInMemory)
            {
                WriteGroups(write, groups);
            }

            if (toolGroups.Count >= MaxGroupsInMemory)
            {
                WriteGroups(writeTools, toolGroups);
            }
        }

        scan.Reset();
        WriteGroups(write, groups);
        WriteGroups(writeTools, toolGroups);
        using var clear = new RawStatement(_connection, "DELETE FROM dirty;");
        clear.Execute();
    }

    /// <summary>An upsert into a rollup table whose key columns come first (as many as the table has before
    /// <c>calls</c>), adding the sums of a group already written by an earlier pass.</summary>
    private static string Upsert(string table, string columns)
    {
        var keys = columns.Split(',', StringSplitOptions.TrimEntries).TakeWhile(static c => c != "calls").Count();
        var values = string.Join(", ", Enumerable.Range(1, keys + 15).Select(static i => "?" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return $"""
            INSERT INTO {table} ({columns}) VALUES ({values})
            ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, input = input + excluded.input, output = output + excluded.output,
                cw5m = cw5m + excluded.cw5m, cw1h = cw1h + excluded.cw1h, cache_read = cache_read + excluded.cache_read,
                web_search = web_search + excluded.web_search, cost = cost + excluded.cost, cost_auto = cost_auto + excluded.cost_auto,
                cost_reported = cost_reported + excluded.cost_reported, reported_calls = reported_calls + excluded.reported_calls,
                unpriced_calls = unpriced_calls + excluded.unpriced_calls, long_calls = long_calls + excluded.long_calls,
                min_ts = MIN(min_ts, excluded.min_ts), max_ts = MAX(max_ts, excluded.max_ts);
            """;
    }

    /// <summary>Adds the scanned record (columns as <see cref="RefreshMany"/> selects them) to a group's sums.</summary>
    private static void Accumulate(ref RollupSums sums, bool existed, RawStatement scan, long ts)
    {
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
    }

    /// <summary>Writes the groups held in memory (key columns first, then the sums) and forgets them.</summary>
    private static void WriteGroups<TKey>(RawStatement write, Dictionary<TKey, RollupSums> groups)
        where TKey : struct, IRollupKey
    {
        var at = TKey.Columns;
        foreach (var (key, sums) in groups)
        {
            key.Bind(write);
            write.Bind(at + 1, sums.Calls);
            write.Bind(at + 2, sums.Input);
            write.Bind(at + 3, sums.Output);
            write.Bind(at + 4, sums.Cw5m);
            write.Bind(at + 5, sums.Cw1h);
            write.Bind(at + 6, sums.CacheRead);
            write.Bind(at + 7, sums.WebSearch);
            write.Bind(at + 8, sums.Cost);
            write.Bind(at + 9, sums.CostAuto);
            write.Bind(at + 10, sums.CostReported);
            write.Bind(at + 11, sums.ReportedCalls);
            write.Bind(at + 12, sums.UnpricedCalls);
            write.Bind(at + 13, sums.LongCalls);
            write.Bind(at + 14, sums.MinTs);
            write.Bind(at + 15, sums.MaxTs);
            write.Execute();
        }

        groups.Clear();
    }

    /// <summary>A rollup table's key: how many columns it has and how they are bound (parameters 1 to that count).</summary>
    private interface IRollupKey
    {
        static abstract int Columns { get; }

        void Bind(RawStatement write);
    }

    private readonly record struct RollupKey(long Bucket, string Model, string Session, string Project, string Agent, long Catalog) : IRollupKey
    {
        public static int Columns => 6;

        public void Bind(RawStatement write)
        {
            write.Bind(1, Bucket);
            write.Bind(2, Model);
            write.Bind(3, Session);
            write.Bind(4, Project);
            write.Bind(5, Agent);
            write.Bind(6, Catalog);
        }
    }

    private readonly record struct ToolsKey(long Bucket, string Tools, string Model, string Project, long Catalog) : IRollupKey
    {
        public static int Columns => 5;

        public void Bind(RawStatement write)
        {
            write.Bind(1, Bucket);
            write.Bind(2, Tools);
            write.Bind(3, Model);
            write.Bind(4, Project);
            write.Bind(5, Catalog);
        }
    }

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
