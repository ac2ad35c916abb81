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
