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
        var texts = new ScanTexts();
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

            var model = texts.Model.Id(scan, 1);
            var project = texts.Project.Id(scan, 3);
            var catalog = scan.Int64(5);
            var key = new RollupKey(bucket, model, texts.Session.Id(scan, 2), project, texts.Agent.Id(scan, 4), catalog);
            Accumulate(ref CollectionsMarshal.GetValueRefOrAddDefault(groups, key, out var existed), existed, scan, ts);
            var toolsKey = new ToolsKey(bucket, texts.Tools.Id(scan, 16), model, project, catalog);
            Accumulate(ref CollectionsMarshal.GetValueRefOrAddDefault(toolGroups, toolsKey, out existed), existed, scan, ts);
            if (groups.Count >= MaxGroupsInMemory)
            {
                WriteGroups(write, groups, texts);
            }

            if (toolGroups.Count >= MaxGroupsInMemory)
            {
                WriteGroups(writeTools, toolGroups, texts);
            }
        }

        scan.Reset();
        WriteGroups(write, groups, texts);
        WriteGroups(writeTools, toolGroups, texts);
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
    private static void Accumulate(ref RollupSums sums, bool existed, RawStatement scan, long ts) =>
        sums.Add(existed, ts, new RollupFigures(scan.Int64(6), scan.Int64(7), scan.Int64(8), scan.Int64(9), scan.Int64(10), scan.Int64(11),
            scan.Int64(12), scan.IsNull(13) ? null : scan.Int64(13), scan.Int64(14) == 1, scan.Int64(15) != 0));

    /// <summary>Writes the groups held in memory (key columns first, then the sums) and forgets them. They are written
    /// in the table's key order: the scan meets them in record order, and inserting a B-tree's rows in random order
    /// splits and revisits pages (about three times SQLite's work for a first sync's 70k groups).</summary>
    private static void WriteGroups<TKey>(RawStatement write, Dictionary<TKey, RollupSums> groups, ScanTexts texts)
        where TKey : struct, IRollupKey<TKey>
    {
        var at = TKey.Columns;
        var ordered = groups.ToArray();
        var order = texts.Order();
        Array.Sort(ordered, (a, b) => a.Key.CompareTo(b.Key, order));
        foreach (var (key, sums) in ordered)
        {
            key.Bind(write, texts);
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

    /// <summary>A rollup table's key, its texts held as ids of <see cref="ScanTexts"/> (hashing five strings per
    /// record was a third of a first sync's rollup): how many columns it has, how they are bound (parameters 1 to that
    /// count), and their order in the table.</summary>
    private interface IRollupKey<TSelf>
    {
        static abstract int Columns { get; }

        void Bind(RawStatement write, ScanTexts texts);

        int CompareTo(TSelf other, TextOrder order);
    }

    private readonly record struct RollupKey(long Bucket, int Model, int Session, int Project, int Agent, long Catalog) : IRollupKey<RollupKey>
    {
        public static int Columns => 6;

        public void Bind(RawStatement write, ScanTexts texts)
        {
            write.Bind(1, Bucket);
            write.Bind(2, texts.Model.Text(Model));
            write.Bind(3, texts.Session.Text(Session));
            write.Bind(4, texts.Project.Text(Project));
            write.Bind(5, texts.Agent.Text(Agent));
            write.Bind(6, Catalog);
        }

        public int CompareTo(RollupKey other, TextOrder order)
        {
            var c = Bucket.CompareTo(other.Bucket);
            c = c != 0 ? c : order.Model[Model].CompareTo(order.Model[other.Model]);
            c = c != 0 ? c : order.Session[Session].CompareTo(order.Session[other.Session]);
            c = c != 0 ? c : order.Project[Project].CompareTo(order.Project[other.Project]);
            c = c != 0 ? c : order.Agent[Agent].CompareTo(order.Agent[other.Agent]);
            return c != 0 ? c : Catalog.CompareTo(other.Catalog);
        }
    }

    private readonly record struct ToolsKey(long Bucket, int Tools, int Model, int Project, long Catalog) : IRollupKey<ToolsKey>
    {
        public static int Columns => 5;

        public void Bind(RawStatement write, ScanTexts texts)
        {
            write.Bind(1, Bucket);
            write.Bind(2, texts.Tools.Text(Tools));
            write.Bind(3, texts.Model.Text(Model));
            write.Bind(4, texts.Project.Text(Project));
            write.Bind(5, Catalog);
        }

        public int CompareTo(ToolsKey other, TextOrder order)
        {
            var c = Bucket.CompareTo(other.Bucket);
            c = c != 0 ? c : order.Tools[Tools].CompareTo(order.Tools[other.Tools]);
            c = c != 0 ? c : order.Model[Model].CompareTo(order.Model[other.Model]);
            c = c != 0 ? c : order.Project[Project].CompareTo(order.Project[other.Project]);
            return c != 0 ? c : Catalog.CompareTo(other.Catalog);
        }
    }

    /// <summary>One record's figures as a rollup sums them (money in the store's units).</summary>
    private readonly record struct RollupFigures(long Input, long Output, long Cw5m, long Cw1h, long CacheRead, long WebSearch, long Cost, long? Reported, bool Unpriced, bool LongContext);

    private struct RollupSums
    {
        public void Add(bool existed, long ts, in RollupFigures f)
        {
            if (!existed)
            {
                MinTs = ts;
                MaxTs = ts;
            }

            Calls++;
            Input += f.Input;
            Output += f.Output;
            Cw5m += f.Cw5m;
            Cw1h += f.Cw1h;
            CacheRead += f.CacheRead;
            WebSearch += f.WebSearch;
            Cost += f.Cost;
            CostAuto += f.Reported ?? f.Cost;
            CostReported += f.Reported ?? 0;
            ReportedCalls += f.Reported is null ? 0 : 1;
            UnpricedCalls += f.Unpriced ? 1 : 0;
            LongCalls += f.LongContext ? 1 : 0;
            MinTs = Math.Min(MinTs, ts);
            MaxTs = Math.Max(MaxTs, ts);
        }

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

    /// <summary>The distinct texts of a scan's key columns, each column numbering its own.</summary>
    private sealed class ScanTexts
    {
        public TextIds Model { get; } = new();

        public TextIds Session { get; } = new();

        public TextIds Project { get; } = new();

        public TextIds Agent { get; } = new();

        public TextIds Tools { get; } = new();

        /// <summary>Each id's place among its column's texts in SQLite's order, for the ids known so far.</summary>
        public TextOrder Order() => new(Model.Ranks(), Session.Ranks(), Project.Ranks(), Agent.Ranks(), Tools.Ranks());
    }

    /// <summary>Where each text id sorts in its column (text compared by code unit: SQLite's byte order for all but
    /// surrogates, and only the speed of the writes depends on it).</summary>
    private sealed record TextOrder(int[] Model, int[] Session, int[] Project, int[] Agent, int[] Tools);

    /// <summary>
    /// Numbers the texts of one column ('' for NULL). The previous row's bytes are checked first: consecutive records
    /// mostly share their session, project and model, so most rows make no string and hash none.
    /// </summary>
    private sealed class TextIds
    {
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
        private readonly List<string> _texts = [];
        private byte[] _lastBytes = [];
        private int _lastBytesId = -1;
        private string? _lastText;
        private int _lastTextId = -1;

        public int Id(RawStatement statement, int column)
        {
            var bytes = statement.Bytes(column);
            if (_lastBytesId >= 0 && bytes.SequenceEqual(_lastBytes))
            {
                return _lastBytesId;
            }

            var text = System.Text.Encoding.UTF8.GetString(bytes);
            if (!_ids.TryGetValue(text, out var id))
            {
                id = _texts.Count;
                _ids.Add(text, id);
                _texts.Add(text);
            }

            _lastBytes = bytes.ToArray();
            _lastBytesId = id;
            return id;
        }

        /// <summary>The id of a text (NULL as '').</summary>
        public int Id(string? text)
        {
            text ??= string.Empty;
            if (string.Equals(text, _lastText, StringComparison.Ordinal))
            {
                return _lastTextId;
            }

            if (!_ids.TryGetValue(text, out var id))
            {
                id = _texts.Count;
                _ids.Add(text, id);
                _texts.Add(text);
            }

            _lastText = text;
            _lastTextId = id;
            return id;
        }

        public string Text(int id) => _texts[id];

        public int[] Ranks()
        {
            var byText = Enumerable.Range(0, _texts.Count).ToArray();
            Array.Sort(byText, (a, b) => string.CompareOrdinal(_texts[a], _texts[b]));
            var ranks = new int[_texts.Count];
            for (var rank = 0; rank < byText.Length; rank++)
            {
                ranks[byText[rank]] = rank;
            }

            return ranks;
        }
    }
}
