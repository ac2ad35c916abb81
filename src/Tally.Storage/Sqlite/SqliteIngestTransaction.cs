using Microsoft.Data.Sqlite;
using Tally.Core.Storage;

namespace Tally.Storage.Sqlite;

public sealed partial class SqliteUsageStore
{
    /// <summary>
    /// A sync's write transaction on the store's connection. It holds the store's gate from its start to its disposal,
    /// and SQLite's write lock while a transaction is open (other processes wait, up to the busy timeout).
    /// </summary>
    private sealed class SqliteIngestTransaction : IIngestTransaction
    {
        private readonly SqliteUsageStore _store;
        private readonly IngestStatements _statements;
        private readonly RollupDelta _delta;
        private readonly bool _firstBuild;
        private SqliteTransaction? _transaction;

        public SqliteIngestTransaction(SqliteUsageStore store)
        {
            _store = store;
            _statements = store._statements ??= new IngestStatements(store._connection, UpsertSql, UpsertReturningSql);
            _delta = new RollupDelta(store._connection, Math.Min(store.MaxGroupsInMemory, 16_384));

            // The first build of an index (no record, no file known) writes without waiting for the disk: each commit
            // is handed to the operating system, which keeps it across a crash of this process, and one checkpoint at
            // the end makes all of it durable. Waiting for the disk at every checkpoint cost a first sync of 1 GB
            // about a tenth of its time, for an index that held nothing to lose (docs/adr/0003).
            _firstBuild = store.HoldsNothing();
            if (_firstBuild)
            {
                Execute(store._connection, "PRAGMA synchronous = OFF;");
            }
        }

        public ValueTask<bool> ApplyAsync(IngestBatch batch, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(batch);
            cancellationToken.ThrowIfCancellationRequested();
            if (_transaction is null)
            {
                _transaction = _store._connection.BeginTransaction(deferred: false);
                _delta.Begin();
            }

            var (existingId, stored) = _statements.FindFile(batch.Next.Path);
            if (!SameCursor(stored, batch.Expected))
            {
                return ValueTask.FromResult(false);
            }

            var fileId = _statements.SaveFile(existingId, batch.Next);
            if (batch.Restart)
            {
                _statements.ClearProblems(fileId);
            }

            _store.UpsertRecords(_transaction, _statements, fileId, batch, _delta);
            foreach (var problem in batch.Problems)
            {
                _statements.AddProblem(fileId, problem);
            }

            foreach (var signal in batch.Signals)
            {
                BindSignal(_statements.UpsertSignal, signal);
                _statements.UpsertSignal.Execute();
            }

            _store.BeforeCommit?.Invoke(batch);
            return ValueTask.FromResult(true);
        }

        public ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            if (_transaction is not null)
            {
                _delta.Write();
            }

            _transaction?.Commit();
            _transaction?.Dispose();
            _transaction = null;
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            try
            {
                _transaction?.Dispose(); // rolls back what was not committed
                _delta.Dispose();
                if (_firstBuild)
                {
                    // Back to waiting for the disk; the checkpoint copies what the build wrote into the index file and
                    // flushes both files.
                    Execute(_store._connection, "PRAGMA synchronous = NORMAL; PRAGMA wal_checkpoint(PASSIVE);");
                }
            }
            finally
            {
                _store._gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
