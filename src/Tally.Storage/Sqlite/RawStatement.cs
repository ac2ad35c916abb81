using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Tally.Storage.Sqlite;

/// <summary>
/// A prepared statement driven through SQLite's own API, for the ingest hot path: binding 35 values a row through
/// ADO.NET parameters costs more than SQLite's own insert. It runs on the connection (and so inside the transaction)
/// of the store that prepared it.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly IntPtr _handle;

    // What each parameter holds: bindings survive a reset, and consecutive rows repeat most of their values (session,
    // directory, project, branch, model, file, and the many counts that are zero), so an equal value is not bound again.
    // A bind call costs a call into the library, its mutex and the release of the old value.
    private readonly Bound[] _kinds;
    private readonly long[] _integers;
    private readonly string?[] _texts;
    private byte[] _utf8 = new byte[256];

    /// <summary>A rowid no insert into the index's tables gives (they are assigned from 1 up).</summary>
    private const long NoRowId = long.MinValue;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        _handle = _statement.DangerousGetHandle(); // owned by this statement until Dispose
        var parameters = raw.sqlite3_bind_parameter_count(_statement) + 1;
        _kinds = new Bound[parameters];
        _integers = new long[parameters];
        _texts = new string?[parameters];
    }

    private enum Bound : byte
    {
        Unknown,
        Null,
        Integer,
        Text,
    }

    public void Bind(int index, long value)
    {
        if (_kinds[index] == Bound.Integer && _integers[index] == value)
        {
            return;
        }

        _kinds[index] = Bound.Unknown; // a failed bind may have released the old value
        Check(BindInt64(index, value));
        _integers[index] = value;
        _kinds[index] = Bound.Integer;
    }

    public void Bind(int index, string? value)
    {
        if (value is null)
        {
            BindNullOnce(index);
            return;
        }

        if (_kinds[index] == Bound.Text && string.Equals(_texts[index], value, StringComparison.Ordinal))
        {
            return;
        }

        _kinds[index] = Bound.Unknown;
        Check(BindUtf8(index, value));
        _texts[index] = value;
        _kinds[index] = Bound.Text;
    }

    private void BindNullOnce(int index)
    {
        if (_kinds[index] == Bound.Null)
        {
            return;
        }

        _kinds[index] = Bound.Unknown;
        Check(BindNull(index));
        _kinds[index] = Bound.Null;
    }

    /// <summary>Binds text as UTF-8, the index's own encoding, encoded into a buffer the statement reuses: bound as
    /// UTF-16, SQLite translated every value when it stored it (a copy and a conversion per value, on the writer).
    /// SQLite copies the bytes (SQLITE_TRANSIENT). The buffer is never empty, so an empty string has an address and is
    /// stored as '' (text at a null address would be NULL).</summary>
    private int BindUtf8(int index, string value)
    {
        var most = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_utf8.Length < most)
        {
            _utf8 = new byte[Math.Max(most, _utf8.Length * 2)];
        }

        var length = System.Text.Encoding.UTF8.GetBytes(value, _utf8);
        return DirectBind.Available ? DirectBind.Text(_handle, index, _utf8, length)
            : length == 0 ? raw.sqlite3_bind_text16(_statement, index, value.AsSpan())
            : raw.sqlite3_bind_text(_statement, index, new ReadOnlySpan<byte>(_utf8, 0, length));
    }

    private int BindInt64(int index, long value) => DirectBind.Available ? DirectBind.Int64(_handle, index, value) : raw.sqlite3_bind_int64(_statement, index, value);

    private int BindNull(int index) => DirectBind.Available ? DirectBind.Null(_handle, index) : raw.sqlite3_bind_null(_statement, index);

    public void Bind(int index, long? value)
    {
        if (value is { } v)
        {
            Bind(index, v);
        }
        else
        {
            BindNullOnce(index);
        }
    }

    /// <summary>Runs the statement to completion and makes it ready for the next row.</summary>
    public void Execute()
    {
        var result = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (result != raw.SQLITE_DONE && result != raw.SQLITE_ROW)
        {
            Check(result);
        }
    }

    /// <summary>Runs a statement that returns at most one integer (<c>RETURNING</c>) and makes it ready for the next
    /// row: the integer, or null when it returned no row.</summary>
    public long? ExecuteScalar()
    {
        var result = raw.sqlite3_step(_statement);
        long? value = result == raw.SQLITE_ROW ? raw.sqlite3_column_int64(_statement, 0) : null;
        raw.sqlite3_reset(_statement);
        if (result != raw.SQLITE_DONE && result != raw.SQLITE_ROW)
        {
            Check(result);
        }

        return value;
    }

    /// <summary>
    /// Runs an insert (an upsert, say) and makes it ready for the next row: the rowid of the row it inserted, or null
    /// when it inserted none (it updated a row, or did nothing). Only where <see cref="DirectBind.RowIdsAvailable"/>:
    /// the connection's last-insert rowid is set to a value no insert gives before the step and read after it (an
    /// update does not change it, and an insert inside a trigger is undone when the trigger ends).
    /// </summary>
    public long? ExecuteInsert()
    {
        if (!DirectBind.RowIdsAvailable)
        {
            throw new InvalidOperationException("The SQLite library does not export sqlite3_set_last_insert_rowid: use RETURNING.");
        }

        var db = _db.DangerousGetHandle();
        DirectBind.SetLastInsertRowId(db, NoRowId);
        Execute();
        var id = DirectBind.LastInsertRowId(db);
        return id == NoRowId ? null : id;
    }

    /// <summary>Steps once: true when a row is ready to read with <see cref="Int64"/> and <see cref="Text"/>.
    /// Call <see cref="Reset"/> when done with the rows.</summary>
    public bool Step()
    {
        var result = raw.sqlite3_step(_statement);
        if (result == raw.SQLITE_ROW)
        {
            return true;
        }

        if (result != raw.SQLITE_DONE)
        {
            raw.sqlite3_reset(_statement);
            Check(result);
        }

        return false;
    }

    /// <summary>Makes the statement ready to run again (bindings are kept until rebound).</summary>
    public void Reset() => raw.sqlite3_reset(_statement);

    public long Int64(int column) => DirectBind.ColumnsAvailable ? DirectBind.ColumnInt64(_handle, column) : raw.sqlite3_column_int64(_statement, column);

    public string Text(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

    /// <summary>The column's bytes (UTF-8 for text; empty for NULL), valid until the next step or reset.</summary>
    public ReadOnlySpan<byte> Bytes(int column) => raw.sqlite3_column_blob(_statement, column);

    public bool IsNull(int column) => (DirectBind.ColumnsAvailable ? DirectBind.ColumnType(_handle, column) : raw.sqlite3_column_type(_statement, column)) == raw.SQLITE_NULL;

    /// <summary>
    /// A text column (null for NULL) taken from <paramref name="pool"/> when an equal string is there, added to it
    /// otherwise: a report's rows repeat a few thousand sessions, projects and models, and a string per row and column
    /// was most of what it allocated.
    /// </summary>
    public string? TextOrNull(int column, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> pool)
    {
        if (!DirectBind.ColumnsAvailable)
        {
            return TextOrNull(column);
        }

        if (DirectBind.ColumnType(_handle, column) == raw.SQLITE_NULL)
        {
            return null;
        }

        var utf8 = DirectBind.ColumnText(_handle, column);
        Span<char> chars = utf8.Length <= 256 ? stackalloc char[utf8.Length] : new char[utf8.Length];
        chars = chars[..System.Text.Encoding.UTF8.GetChars(utf8, chars)];
        if (pool.TryGetValue(chars, out var known))
        {
            return known;
        }

        var text = chars.ToString();
        pool.Dictionary[text] = text;
        return text;
    }

    public string? TextOrNull(int column) => IsNull(column) ? null : Text(column);

    public void Dispose() => _statement.Dispose();

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), result);
        }
    }
}
