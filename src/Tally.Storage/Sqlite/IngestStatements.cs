using Microsoft.Data.Sqlite;
using Tally.Core.Storage;

namespace Tally.Storage.Sqlite;

/// <summary>
/// The statements a commit runs for every batch, prepared once per connection: parsing SQL per batch cost more than
/// running it. They run on the store's connection, inside whatever transaction it holds.
/// </summary>
internal sealed class IngestStatements : IDisposable
{
    private readonly RawStatement _findFile;
    private readonly RawStatement _insertFile;
    private readonly RawStatement _updateFile;
    private readonly RawStatement _deleteProblems;
    private readonly RawStatement _insertProblem;

    private readonly bool _insertedRowIds = DirectBind.RowIdsAvailable;

    /// <param name="connection">The store's open connection.</param>
    /// <param name="upsertSql">The record upsert.</param>
    /// <param name="upsertReturningSql">The same, returning the row's id: used where the last-insert rowid cannot be
    /// read and set.</param>
    public IngestStatements(SqliteConnection connection, string upsertSql, string upsertReturningSql)
    {
        _findFile = new RawStatement(connection, "SELECT id, size, mtime, offset, lines, head_hash, consumed_hash, missing FROM files WHERE path = ?1;");
        _insertFile = new RawStatement(connection, "INSERT INTO files (path, size, mtime, offset, lines, head_hash, consumed_hash, missing) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0) RETURNING id;");
        _updateFile = new RawStatement(connection, "UPDATE files SET size = ?2, mtime = ?3, offset = ?4, lines = ?5, head_hash = ?6, consumed_hash = ?7, missing = 0 WHERE path = ?1 RETURNING id;");
        _deleteProblems = new RawStatement(connection, "DELETE FROM problems WHERE file_id = ?1;");
        _insertProblem = new RawStatement(connection, "INSERT OR REPLACE INTO problems (file_id, line, reason) VALUES (?1, ?2, ?3);");
        Upsert = new RawStatement(connection, _insertedRowIds ? upsertSql : upsertReturningSql);
        UpsertSignal = new RawStatement(connection, SqliteUsageStore.UpsertSignalSql);
    }

    /// <summary>The record upsert (parameters: key, rank, ts, then the record columns in order); run it with
    /// <see cref="RunUpsert"/>.</summary>
    public RawStatement Upsert { get; }

    /// <summary>Runs the bound upsert: the id of the row it inserted, or of the row it updated where only RETURNING
    /// tells (the caller tells the two apart by id), or null.</summary>
    public long? RunUpsert() => _insertedRowIds ? Upsert.ExecuteInsert() : Upsert.ExecuteScalar();

    /// <summary>The signal upsert (see <see cref="SqliteUsageStore.BindSignal"/>).</summary>
    public RawStatement UpsertSignal { get; }

    /// <summary>The stored file id and cursor for <paramref name="path"/>.</summary>
    public (long? Id, FileCursor? Cursor) FindFile(string path)
    {
        _findFile.Bind(1, path);
        try
        {
            if (!_findFile.Step())
            {
                return (null, null);
            }

            return (_findFile.Int64(0), new FileCursor
            {
                Path = path,
                Size = _findFile.Int64(1),
                ModifiedTicks = _findFile.Int64(2),
                Offset = _findFile.Int64(3),
                Lines = _findFile.Int64(4),
                HeadHash = unchecked((ulong)_findFile.Int64(5)),
                ConsumedHash = unchecked((ulong)_findFile.Int64(6)),
                Missing = _findFile.Int64(7) != 0,
            });
        }
        finally
        {
            _findFile.Reset();
        }
    }

    /// <summary>Stores <paramref name="cursor"/> (inserting the file when it has no id yet) and returns the file id.</summary>
    public long SaveFile(long? id, FileCursor cursor)
    {
        var statement = id is null ? _insertFile : _updateFile;
        statement.Bind(1, cursor.Path);
        statement.Bind(2, cursor.Size);
        statement.Bind(3, cursor.ModifiedTicks);
        statement.Bind(4, cursor.Offset);
        statement.Bind(5, cursor.Lines);
        statement.Bind(6, unchecked((long)cursor.HeadHash));
        statement.Bind(7, unchecked((long)cursor.ConsumedHash));
        try
        {
            return statement.Step() ? statement.Int64(0) : throw new InvalidOperationException($"the cursor of {cursor.Path} was not saved");
        }
        finally
        {
            statement.Reset();
        }
    }

    /// <summary>Forgets a file's problems (it is being read again from its start).</summary>
    public void ClearProblems(long fileId)
    {
        _deleteProblems.Bind(1, fileId);
        _deleteProblems.Execute();
    }

    /// <summary>Stores one problem (replacing an earlier one on the same line).</summary>
    public void AddProblem(long fileId, IngestProblem problem)
    {
        _insertProblem.Bind(1, fileId);
        _insertProblem.Bind(2, problem.Line);
        _insertProblem.Bind(3, problem.Reason);
        _insertProblem.Execute();
    }

    public void Dispose()
    {
        foreach (var statement in new[] { _findFile, _insertFile, _updateFile, _deleteProblems, _insertProblem, Upsert, UpsertSignal })
        {
            statement.Dispose();
        }
    }
}
