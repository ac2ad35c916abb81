using Microsoft.Data.Sqlite;

namespace Tally.Storage.Sqlite;

/// <summary>The index's schema and its migrations, applied in order, each in its own transaction.</summary>
internal static class SqliteSchema
{
    /// <summary>Each entry moves the schema from version i to i + 1. Append only; never edit a shipped one.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE files (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            size INTEGER NOT NULL,
            mtime INTEGER NOT NULL,
            offset INTEGER NOT NULL,
            lines INTEGER NOT NULL,
            head_hash INTEGER NOT NULL,
            consumed_hash INTEGER NOT NULL,
            missing INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE catalogs (id INTEGER PRIMARY KEY, version TEXT NOT NULL UNIQUE);
        CREATE TABLE records (
            key TEXT PRIMARY KEY,
            rank TEXT NOT NULL,
            ts INTEGER NOT NULL,
            seen_ts INTEGER NOT NULL,
            message_id TEXT, request_id TEXT, uuid TEXT,
            session_id TEXT, agent_id TEXT, is_sidechain INTEGER NOT NULL,
            cwd TEXT, project TEXT, git_branch TEXT,
            model TEXT NOT NULL,
            input INTEGER NOT NULL, output INTEGER NOT NULL,
            cw5m INTEGER NOT NULL, cw1h INTEGER NOT NULL, cache_read INTEGER NOT NULL,
            split_missing INTEGER NOT NULL,
            web_search INTEGER NOT NULL, web_fetch INTEGER NOT NULL,
            service_tier TEXT, speed TEXT, geo TEXT,
            reported_cost INTEGER,
            cost INTEGER NOT NULL,
            price_status INTEGER NOT NULL,
            long_context INTEGER NOT NULL,
            catalog INTEGER NOT NULL,
            tools TEXT, client_version TEXT,
            file_id INTEGER, line INTEGER
        ) WITHOUT ROWID;
        CREATE INDEX records_ts ON records (ts);
        CREATE INDEX records_session ON records (session_id);
        CREATE TABLE problems (
            file_id INTEGER NOT NULL,
            line INTEGER NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (file_id, line)
        ) WITHOUT ROWID;
        """,
    ];

    public static int Latest => Migrations.Length;

    public static void Migrate(SqliteConnection connection)
    {
        using (var begin = connection.CreateCommand())
        {
            begin.CommandText = "PRAGMA user_version;";
            var version = Convert.ToInt32(begin.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (version > Latest)
            {
                throw new InvalidOperationException($"The index was written by a newer Tally (schema {version}; this one knows {Latest}). Upgrade Tally, or point --data-dir elsewhere.");
            }
        }

        while (true)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var read = connection.CreateCommand();
            read.Transaction = transaction;
            read.CommandText = "PRAGMA user_version;";
            var current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (current >= Latest)
            {
                transaction.Commit();
                return;
            }

            using var apply = connection.CreateCommand();
            apply.Transaction = transaction;
            apply.CommandText = Migrations[current] + $"\nPRAGMA user_version = {current + 1};";
            apply.ExecuteNonQuery();
            transaction.Commit();
        }
    }
}
