using Microsoft.Data.Sqlite;
using Tally.Storage.Sqlite;

namespace Tally.Storage.Tests;

/// <summary>Values bound through the ingest's raw statements read back exactly, whatever their type, length and script.</summary>
public class RawStatementTests
{
    [Fact]
    public void The_bind_functions_are_called_directly_where_the_library_exports_them()
    {
        using var temp = new TempDirectory();
        using var connection = new SqliteConnection($"Data Source={Path.Combine(temp.Path, "t.db")}");
        connection.Open(); // initialises SQLitePCL's provider, which loads the library
        Assert.True(DirectBind.Available);
    }

    [Fact]
    public void Integers_and_nulls_read_back_exactly()
    {
        using var temp = new TempDirectory();
        using var connection = OpenWithTable(temp, "n INTEGER, a INTEGER, b TEXT");

        long?[] values = [0, 1, -1, long.MaxValue, long.MinValue, null, 1_764_000_000_000, null, 42];
        using (var insert = new RawStatement(connection, "INSERT INTO t (n, a, b) VALUES (?1, ?2, ?3);"))
        {
            for (var i = 0; i < values.Length; i++)
            {
                insert.Bind(1, i);
                insert.Bind(2, values[i]);
                insert.Bind(3, i % 2 == 0 ? null : "odd");
                insert.Execute();
            }
        }

        using var read = connection.CreateCommand();
        read.CommandText = "SELECT a, b FROM t ORDER BY n;";
        using var rows = read.ExecuteReader();
        for (var i = 0; i < values.Length; i++)
        {
            Assert.True(rows.Read());
            Assert.Equal(values[i], rows.IsDBNull(0) ? null : rows.GetInt64(0));
            Assert.Equal(i % 2 == 0 ? null : "odd", rows.IsDBNull(1) ? null : rows.GetString(1));
        }
    }

    [Fact]
    public void Text_bound_as_utf8_reads_back_exactly_and_an_empty_string_stays_empty()
    {
        using var temp = new TempDirectory();
        using var connection = OpenWithTable(temp, "n INTEGER, a TEXT, b TEXT");

        string[] values =
        [
            "/home/dev/src/app", "/home/dév/projets/café", "ブランチ/機能", "emoji 🚀 and \u0000 inside", new string('x', 300),
            "short", new string('é', 5_000) + "🚀", "", "tail",
        ];
        using (var insert = new RawStatement(connection, "INSERT INTO t (n, a, b) VALUES (?1, ?2, ?3);"))
        {
            insert.Bind(3, "the same text on every row: bound once");
            for (var i = 0; i < values.Length; i++)
            {
                insert.Bind(1, i);
                insert.Bind(2, values[i]);
                insert.Execute();
            }
        }

        using var read = connection.CreateCommand();
        read.CommandText = "SELECT a, b FROM t ORDER BY n;";
        using var rows = read.ExecuteReader();
        for (var i = 0; i < values.Length; i++)
        {
            Assert.True(rows.Read());
            Assert.False(rows.IsDBNull(0));
            Assert.Equal(values[i], rows.GetString(0));
            Assert.Equal("the same text on every row: bound once", rows.GetString(1));
        }

        Assert.False(rows.Read());
    }

    /// <summary>A fresh database file with one table <c>t</c> of <paramref name="columns"/>.</summary>
    [Fact]
    public void A_parameter_that_repeats_or_changes_kind_between_rows_reads_back_each_rows_value()
    {
        using var temp = new TempDirectory();
        using var connection = OpenWithTable(temp, "n INTEGER, a"); // no affinity: text stays text

        // Equal values in a row are not bound again; a change of kind (integer, text, null) always is.
        object?[] values = [5L, 5L, null, null, 5L, "5", "5", null, 0L, 0L, "", "", 7L, null, "x"];
        using (var insert = new RawStatement(connection, "INSERT INTO t (n, a) VALUES (?1, ?2);"))
        {
            for (var i = 0; i < values.Length; i++)
            {
                insert.Bind(1, i);
                switch (values[i])
                {
                    case long l when i % 2 == 0:
                        insert.Bind(2, l);
                        break;
                    case long l:
                        insert.Bind(2, (long?)l);
                        break;
                    case string text:
                        insert.Bind(2, text);
                        break;
                    default:
                        if (i % 2 == 0)
                        {
                            insert.Bind(2, (string?)null);
                        }
                        else
                        {
                            insert.Bind(2, (long?)null);
                        }

                        break;
                }

                insert.Execute();
            }
        }

        using var read = connection.CreateCommand();
        read.CommandText = "SELECT a FROM t ORDER BY n;";
        using var rows = read.ExecuteReader();
        for (var i = 0; i < values.Length; i++)
        {
            Assert.True(rows.Read());
            Assert.Equal(values[i], rows.IsDBNull(0) ? null : rows.GetValue(0));
        }
    }

    [Fact]
    public void An_upsert_tells_the_row_it_inserted_and_nothing_for_a_row_it_updated_or_left()
    {
        Assert.True(DirectBind.RowIdsAvailable);
        using var temp = new TempDirectory();
        using var connection = OpenWithTable(temp, "id INTEGER PRIMARY KEY, k TEXT NOT NULL UNIQUE, v INTEGER NOT NULL");
        using (var setup = connection.CreateCommand())
        {
            // Another table whose inserts move the connection's last-insert rowid, and a trigger that inserts into it
            // when the upsert updates a row (as the index's records_updated trigger does).
            setup.CommandText = """
                CREATE TABLE other (id INTEGER PRIMARY KEY, note TEXT);
                CREATE TRIGGER t_updated AFTER UPDATE ON t BEGIN INSERT INTO other (note) VALUES ('updated'); END;
                """;
            setup.ExecuteNonQuery();
        }

        using var other = new RawStatement(connection, "INSERT INTO other (note) VALUES ('file');");
        using var upsert = new RawStatement(connection, "INSERT INTO t (k, v) VALUES (?1, ?2) ON CONFLICT (k) DO UPDATE SET v = excluded.v WHERE excluded.v > t.v;");
        long? Upsert(string key, long value)
        {
            upsert.Bind(1, key);
            upsert.Bind(2, value);
            return upsert.ExecuteInsert();
        }

        // The other table's insert leaves the last-insert rowid at 1, the very id the first row gets: still told.
        other.Execute();
        Assert.Equal(1, Upsert("a", 1));
        Assert.Equal(2, Upsert("b", 1));
        Assert.Null(Upsert("a", 5)); // updated (and the trigger inserted into the other table)
        Assert.Null(Upsert("a", 3)); // left as it was
        other.Execute();
        Assert.Equal(3, Upsert("c", 1));

        using var read = connection.CreateCommand();
        read.CommandText = "SELECT group_concat(k || '=' || v, ',') FROM (SELECT k, v FROM t ORDER BY id);";
        Assert.Equal("a=5,b=1,c=1", read.ExecuteScalar());
    }

    private static SqliteConnection OpenWithTable(TempDirectory temp, string columns)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(temp.Path, "t.db")}");
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText = $"CREATE TABLE t ({columns});";
        create.ExecuteNonQuery();
        return connection;
    }
}
