using System.Runtime.InteropServices;
using SQLitePCL;

namespace Tally.Storage.Sqlite;

/// <summary>
/// SQLite's bind (and column) functions called straight through the native library's exports. A first sync binds about 35 values per
/// row, four million calls at 1 GB, all on the single writer thread; through SQLitePCL each call also takes and releases
/// the statement's SafeHandle and goes through its provider (about 5% of the writer's samples). The statement pointer
/// is the one the <see cref="RawStatement"/> owns, valid until it is disposed. Where the library's exports cannot be
/// found, <see cref="Available"/> is false and the statements bind through SQLitePCL as before.
/// </summary>
internal static unsafe class DirectBind
{
    private static readonly delegate* unmanaged<IntPtr, int, long, int> BindInt64;
    private static readonly delegate* unmanaged<IntPtr, int, int> BindNull;
    private static readonly delegate* unmanaged<IntPtr, int, byte*, int, IntPtr, int> BindText;
    private static readonly delegate* unmanaged<IntPtr, long> LastInsertRowIdOf;
    private static readonly delegate* unmanaged<IntPtr, long, void> SetLastInsertRowIdOf;
    private static readonly delegate* unmanaged<IntPtr, int, long> ColumnInt64Of;
    private static readonly delegate* unmanaged<IntPtr, int, int> ColumnTypeOf;
    private static readonly delegate* unmanaged<IntPtr, int, byte*> ColumnTextOf;
    private static readonly delegate* unmanaged<IntPtr, int, int> ColumnBytesOf;

    static DirectBind()
    {
        try
        {
            // The library SQLitePCL's provider itself loaded (it is initialised before any statement is prepared).
            if (!NativeLibrary.TryLoad("e_sqlite3", typeof(raw).Assembly, null, out var library)
                || !NativeLibrary.TryGetExport(library, "sqlite3_bind_int64", out var int64)
                || !NativeLibrary.TryGetExport(library, "sqlite3_bind_null", out var none)
                || !NativeLibrary.TryGetExport(library, "sqlite3_bind_text", out var text))
            {
                return;
            }

            BindInt64 = (delegate* unmanaged<IntPtr, int, long, int>)int64;
            BindNull = (delegate* unmanaged<IntPtr, int, int>)none;
            BindText = (delegate* unmanaged<IntPtr, int, byte*, int, IntPtr, int>)text;
            Available = true;
            if (NativeLibrary.TryGetExport(library, "sqlite3_last_insert_rowid", out var last)
                && NativeLibrary.TryGetExport(library, "sqlite3_set_last_insert_rowid", out var setLast))
            {
                LastInsertRowIdOf = (delegate* unmanaged<IntPtr, long>)last;
                SetLastInsertRowIdOf = (delegate* unmanaged<IntPtr, long, void>)setLast;
                RowIdsAvailable = true;
            }

            if (NativeLibrary.TryGetExport(library, "sqlite3_column_int64", out var columnInt64)
                && NativeLibrary.TryGetExport(library, "sqlite3_column_type", out var columnType)
                && NativeLibrary.TryGetExport(library, "sqlite3_column_text", out var columnText)
                && NativeLibrary.TryGetExport(library, "sqlite3_column_bytes", out var columnBytes))
            {
                ColumnInt64Of = (delegate* unmanaged<IntPtr, int, long>)columnInt64;
                ColumnTypeOf = (delegate* unmanaged<IntPtr, int, int>)columnType;
                ColumnTextOf = (delegate* unmanaged<IntPtr, int, byte*>)columnText;
                ColumnBytesOf = (delegate* unmanaged<IntPtr, int, int>)columnBytes;
                ColumnsAvailable = true;
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
        {
        }
    }

    /// <summary>True when the exports were found.</summary>
    public static bool Available { get; }

    /// <summary>True when the connection's last-insert rowid can be read and set (SQLite 3.18 and later).</summary>
    public static bool RowIdsAvailable { get; }

    /// <summary>True when a row's columns can be read straight through the exports (a report reads thirteen or more
    /// columns of every rollup row in its range).</summary>
    public static bool ColumnsAvailable { get; }

    public static long ColumnInt64(IntPtr statement, int column) => ColumnInt64Of(statement, column);

    public static int ColumnType(IntPtr statement, int column) => ColumnTypeOf(statement, column);

    /// <summary>A text column's UTF-8 bytes, valid until the next step, reset or conversion of that column.</summary>
    public static ReadOnlySpan<byte> ColumnText(IntPtr statement, int column)
    {
        var text = ColumnTextOf(statement, column); // before its length: the conversion to text may change it
        return text is null ? [] : new ReadOnlySpan<byte>(text, ColumnBytesOf(statement, column));
    }

    public static long LastInsertRowId(IntPtr connection) => LastInsertRowIdOf(connection);

    public static void SetLastInsertRowId(IntPtr connection, long rowId) => SetLastInsertRowIdOf(connection, rowId);

    public static int Int64(IntPtr statement, int index, long value) => BindInt64(statement, index, value);

    public static int Null(IntPtr statement, int index) => BindNull(statement, index);

    /// <summary>Binds <paramref name="length"/> bytes of <paramref name="utf8"/> (not empty: an empty string then has an
    /// address, and SQLite stores '' rather than NULL), copied by SQLite (SQLITE_TRANSIENT).</summary>
    public static int Text(IntPtr statement, int index, byte[] utf8, int length)
    {
        fixed (byte* bytes = utf8)
        {
            return BindText(statement, index, bytes, length, new IntPtr(-1));
        }
    }
}
