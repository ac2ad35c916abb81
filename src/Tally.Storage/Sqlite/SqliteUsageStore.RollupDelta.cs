using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Tally.Storage.Sqlite;

public sealed partial class SqliteUsageStore
{
    /// <summary>
    /// The rollup groups of the records a sync inserted, summed as the writer inserts them and added to the rollup in
    /// the same transaction, just before it commits: the rollup never lags the records, and a first sync does not end
    /// with a second pass over everything it wrote (half a second of one core at 1 GB). Only new rows are summed here.
    /// A row an upsert updated instead marks its old and new buckets dirty (the <c>records_updated</c> trigger), and
    /// the next refresh re-sums those buckets from their records, replacing whatever was added to them.
    /// </summary>
    private sealed class RollupDelta(SqliteConnection connection, int maxGroups) : IDisposable
    {

        private readonly Dictionary<RollupKey, RollupSums> _groups = [];
        private readonly Dictionary<ToolsKey, RollupSums> _toolGroups = [];
        private readonly ScanTexts _texts = new();
        private RawStatement? _write;
        private RawStatement? _writeTools;
        private long _lastRowId;

        /// <summary>Reads the largest record id; call when a write transaction begins (other processes may have inserted
        /// rows between two of this sync's transactions, never during one).</summary>
        public void Begin()
        {
            using var max = new RawStatement(connection, "SELECT COALESCE(MAX(id), 0) FROM records;");
            _lastRowId = max.ExecuteScalar() ?? 0;
        }

        /// <summary>True when the row an upsert returned is one it inserted: a new row's id is above every id the
        /// table held when the transaction began or that this transaction inserted since (without AUTOINCREMENT a new
        /// id is the largest plus one), and an updated row's is not.</summary>
        public bool IsNewRow(long id)
        {
            if (id <= _lastRowId)
            {
                return false;
            }

            _lastRowId = id;
            return true;
        }

        /// <summary>Adds an inserted record (its stored values) to its groups.</summary>
        public void Add(long ts, string model, string? session, string? project, string? agent, long catalog, string? tools, in RollupFigures figures)
        {
            var bucket = ts / SqliteSchema.BucketMs;
            var modelId = _texts.Model.Id(model);
            var projectId = _texts.Project.Id(project);
            var key = new RollupKey(bucket, modelId, _texts.Session.Id(session), projectId, _texts.Agent.Id(agent), catalog);
            CollectionsMarshal.GetValueRefOrAddDefault(_groups, key, out var existed).Add(existed, ts, figures);
            var toolsKey = new ToolsKey(bucket, _texts.Tools.Id(tools), modelId, projectId, catalog);
            CollectionsMarshal.GetValueRefOrAddDefault(_toolGroups, toolsKey, out existed).Add(existed, ts, figures);
            // Groups are added to the rollup ahead of the commit once this many are held (the writes are additive, so
            // a transaction may add to a group several times): a first sync's memory stays flat on any history.
            if (_groups.Count >= maxGroups || _toolGroups.Count >= maxGroups)
            {
                Write();
            }
        }

        /// <summary>Adds the groups summed so far to the rollup (inside the caller's open transaction).</summary>
        public void Write()
        {
            if (_groups.Count == 0 && _toolGroups.Count == 0)
            {
                return;
            }

            _write ??= new RawStatement(connection, Upsert("rollup", RollupColumns));
            _writeTools ??= new RawStatement(connection, Upsert("rollup_tools", ToolsRollupColumns));
            WriteGroups(_write, _groups, _texts);
            WriteGroups(_writeTools, _toolGroups, _texts);
        }


        public void Dispose()
        {
            _write?.Dispose();
            _writeTools?.Dispose();
        }
    }
}
