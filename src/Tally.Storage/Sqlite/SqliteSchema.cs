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

        // 2: records get a rowid (appends instead of page splits: rows are ~300 bytes), and a rollup by quarter hour,
        // model, session, project, agent and catalog answers reports. Buckets whose records change are marked dirty
        // (by the writer for new rows, by a trigger for updated ones) and re-summed from records before a read. The
        // dirty list has no unique key on purpose: inside a trigger fired by an upsert, INSERT OR IGNORE is overridden
        // by the outer statement's conflict policy and fails; duplicates are folded by DISTINCT when it is read.
        """
        CREATE TABLE records2 (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
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
        );
        INSERT INTO records2 (key, rank, ts, seen_ts, message_id, request_id, uuid, session_id, agent_id, is_sidechain, cwd, project,
            git_branch, model, input, output, cw5m, cw1h, cache_read, split_missing, web_search, web_fetch, service_tier, speed, geo,
            reported_cost, cost, price_status, long_context, catalog, tools, client_version, file_id, line)
        SELECT key, rank, ts, seen_ts, message_id, request_id, uuid, session_id, agent_id, is_sidechain, cwd, project,
            git_branch, model, input, output, cw5m, cw1h, cache_read, split_missing, web_search, web_fetch, service_tier, speed, geo,
            reported_cost, cost, price_status, long_context, catalog, tools, client_version, file_id, line
        FROM records ORDER BY ts;
        DROP TABLE records;
        ALTER TABLE records2 RENAME TO records;
        CREATE INDEX records_ts ON records (ts);
        CREATE TABLE rollup (
            bucket INTEGER NOT NULL,
            model TEXT NOT NULL, session_id TEXT NOT NULL, project TEXT NOT NULL, agent_id TEXT NOT NULL, catalog INTEGER NOT NULL,
            calls INTEGER NOT NULL,
            input INTEGER NOT NULL, output INTEGER NOT NULL, cw5m INTEGER NOT NULL, cw1h INTEGER NOT NULL, cache_read INTEGER NOT NULL,
            web_search INTEGER NOT NULL,
            cost INTEGER NOT NULL, cost_auto INTEGER NOT NULL, cost_reported INTEGER NOT NULL,
            reported_calls INTEGER NOT NULL, unpriced_calls INTEGER NOT NULL, long_calls INTEGER NOT NULL,
            min_ts INTEGER NOT NULL, max_ts INTEGER NOT NULL,
            PRIMARY KEY (bucket, model, session_id, project, agent_id, catalog)
        ) WITHOUT ROWID;
        CREATE INDEX rollup_catalog ON rollup (catalog);
        CREATE TABLE dirty (bucket INTEGER NOT NULL);
        INSERT INTO dirty (bucket) SELECT DISTINCT ts / 900000 FROM records;
        CREATE TRIGGER records_updated AFTER UPDATE ON records BEGIN
            INSERT INTO dirty (bucket) VALUES (old.ts / 900000), (new.ts / 900000);
        END;
        CREATE TRIGGER records_deleted AFTER DELETE ON records BEGIN
            INSERT INTO dirty (bucket) VALUES (old.ts / 900000);
        END;
        """,

        // 3: session and project reports group the rollup by session, project and model; this index gives them that
        // order without a sort (SQLite matches GROUP BY terms to an index in any order).
        """
        CREATE INDEX rollup_session ON rollup (session_id, project, model);
        """,

        // 4: the alert history. An alert's key (budget, limit, subject, threshold, window start) is unique, so of several
        // processes evaluating the same budgets exactly one records, and so delivers, each alert. Amounts are decimal
        // text (exact); times are Unix milliseconds. Deliveries: one row per alert and channel.
        """
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            kind INTEGER NOT NULL,
            raised_ts INTEGER NOT NULL,
            message TEXT NOT NULL,
            budget TEXT, scope INTEGER, target TEXT, period INTEGER, unit INTEGER, limit_value TEXT, action INTEGER, thresholds TEXT,
            subject TEXT,
            threshold TEXT, used TEXT, burn TEXT,
            window_start INTEGER, window_end INTEGER,
            projected_ts INTEGER,
            limit_source INTEGER, limit_window TEXT, limit_seen_ts INTEGER, limit_resets_ts INTEGER, limit_detail TEXT,
            suppressed TEXT
        );
        CREATE INDEX alerts_raised ON alerts (raised_ts);
        CREATE TABLE alert_deliveries (
            alert_id INTEGER NOT NULL REFERENCES alerts (id),
            channel TEXT NOT NULL,
            outcome INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            detail TEXT,
            ts INTEGER NOT NULL,
            PRIMARY KEY (alert_id, channel)
        ) WITHOUT ROWID;
        """,

        // 5: observed plan-limit signals (limit lines, status-line rate_limits, proxy headers), one row per observation
        // key so that recording one again (a re-sync, a repeated render) changes nothing but its last-seen time.
        // Utilisation is in hundredths of a percent; times are epoch milliseconds.
        """
        CREATE TABLE signals (
            key TEXT PRIMARY KEY,
            kind INTEGER NOT NULL,
            window_kind INTEGER NOT NULL,
            model TEXT,
            utilisation INTEGER,
            resets_at INTEGER,
            observed_at INTEGER NOT NULL,
            last_observed_at INTEGER NOT NULL,
            source TEXT
        ) WITHOUT ROWID;
        CREATE INDEX signals_last_observed ON signals (last_observed_at);
        """,

        // 6: the metering proxy. Records gain what only the proxy sees (the agent named by the path or a header, billing
        // source, a salted account fingerprint, status, outcome, latency and time to first token, whether the API-key
        // fallback was used); null for records no proxy saw. The latest rate-limit header per account and name is kept
        // by name, so headers Tally does not know yet are not lost. Budget resumes let a paused agent through until its
        // budget's window resets.
        """
        ALTER TABLE records ADD COLUMN proxy_agent TEXT;
        ALTER TABLE records ADD COLUMN billing INTEGER;
        ALTER TABLE records ADD COLUMN account TEXT;
        ALTER TABLE records ADD COLUMN http_status INTEGER;
        ALTER TABLE records ADD COLUMN outcome TEXT;
        ALTER TABLE records ADD COLUMN latency_ms INTEGER;
        ALTER TABLE records ADD COLUMN ttft_ms INTEGER;
        ALTER TABLE records ADD COLUMN key_fallback INTEGER;
        CREATE TABLE rate_limit_headers (
            account TEXT NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            status INTEGER NOT NULL,
            observed_at INTEGER NOT NULL,
            PRIMARY KEY (account, name)
        ) WITHOUT ROWID;
        CREATE TABLE budget_resumes (
            budget TEXT NOT NULL,
            subject TEXT NOT NULL,
            window_start INTEGER NOT NULL,
            resumed_at INTEGER NOT NULL,
            PRIMARY KEY (budget, subject, window_start)
        ) WITHOUT ROWID;
        """,

        // 7: what Anthropic billed, from the Admin API (docs/adr/0011-admin-api.md): one grain per report, keyed by
        // bucket and every grouping dimension so a re-sync replaces rows instead of adding to them. A dimension the API
        // left null is stored as '' (a null workspace is the default workspace, a null API key is Console usage), because
        // SQLite keys do not make NULLs equal. Amounts are exact decimal text in dollars; times are Unix seconds.
        """
        CREATE TABLE admin_usage (
            bucket INTEGER NOT NULL,
            model TEXT NOT NULL, workspace TEXT NOT NULL, api_key TEXT NOT NULL,
            service_tier TEXT NOT NULL, context_window TEXT NOT NULL, inference_geo TEXT NOT NULL,
            uncached INTEGER NOT NULL, output INTEGER NOT NULL, cw5m INTEGER NOT NULL, cw1h INTEGER NOT NULL,
            cache_read INTEGER NOT NULL, web_search INTEGER NOT NULL,
            PRIMARY KEY (bucket, model, workspace, api_key, service_tier, context_window, inference_geo)
        ) WITHOUT ROWID;
        CREATE TABLE admin_costs (
            day TEXT NOT NULL,
            workspace TEXT NOT NULL, description TEXT NOT NULL, cost_type TEXT NOT NULL, token_type TEXT NOT NULL,
            model TEXT NOT NULL, service_tier TEXT NOT NULL, context_window TEXT NOT NULL, inference_geo TEXT NOT NULL,
            amount TEXT NOT NULL, currency TEXT NOT NULL,
            PRIMARY KEY (day, workspace, description, cost_type, token_type, model, service_tier, context_window, inference_geo)
        ) WITHOUT ROWID;
        CREATE TABLE admin_claude_code (
            day TEXT NOT NULL, actor_type TEXT NOT NULL, actor TEXT NOT NULL, terminal_type TEXT NOT NULL, customer_type TEXT NOT NULL,
            subscription_type TEXT,
            sessions INTEGER NOT NULL, lines_added INTEGER NOT NULL, lines_removed INTEGER NOT NULL,
            commits INTEGER NOT NULL, pull_requests INTEGER NOT NULL,
            tools_accepted INTEGER NOT NULL, tools_rejected INTEGER NOT NULL,
            tokens INTEGER NOT NULL, estimated_cost TEXT NOT NULL,
            PRIMARY KEY (day, actor_type, actor, terminal_type, customer_type)
        ) WITHOUT ROWID;
        CREATE TABLE admin_workspaces (id TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE admin_api_keys (id TEXT PRIMARY KEY, name TEXT NOT NULL, workspace TEXT, status TEXT) WITHOUT ROWID;
        CREATE TABLE admin_sync (report TEXT PRIMARY KEY, complete_until INTEGER NOT NULL) WITHOUT ROWID;
        """,

        // 8: a second rollup by quarter hour, tool list, model, project and catalog answers tool reports (the dashboard's
        // tool usage), which read every record of their range before. It is kept with the first one: a dirty bucket is
        // re-summed into both. A tool list is stored as the call recorded it ('' for none) and split when read.
        """
        CREATE TABLE rollup_tools (
            bucket INTEGER NOT NULL,
            tools TEXT NOT NULL, model TEXT NOT NULL, project TEXT NOT NULL, catalog INTEGER NOT NULL,
            calls INTEGER NOT NULL,
            input INTEGER NOT NULL, output INTEGER NOT NULL, cw5m INTEGER NOT NULL, cw1h INTEGER NOT NULL, cache_read INTEGER NOT NULL,
            web_search INTEGER NOT NULL,
            cost INTEGER NOT NULL, cost_auto INTEGER NOT NULL, cost_reported INTEGER NOT NULL,
            reported_calls INTEGER NOT NULL, unpriced_calls INTEGER NOT NULL, long_calls INTEGER NOT NULL,
            min_ts INTEGER NOT NULL, max_ts INTEGER NOT NULL,
            PRIMARY KEY (bucket, tools, model, project, catalog)
        ) WITHOUT ROWID;
        INSERT INTO rollup_tools
        SELECT r.ts / 900000, COALESCE(r.tools, ''), r.model, COALESCE(r.project, ''), r.catalog,
            COUNT(*), SUM(r.input), SUM(r.output), SUM(r.cw5m), SUM(r.cw1h), SUM(r.cache_read), SUM(r.web_search),
            SUM(r.cost), SUM(COALESCE(r.reported_cost, r.cost)), SUM(COALESCE(r.reported_cost, 0)),
            SUM(r.reported_cost IS NOT NULL), SUM(r.price_status = 1), SUM(r.long_context), MIN(r.ts), MAX(r.ts)
        FROM records r
        GROUP BY r.ts / 900000, COALESCE(r.tools, ''), r.model, COALESCE(r.project, ''), r.catalog;
        """,

        // 9: which source saw a call first (UsageSource: 0 Claude Code's transcripts, 2 the metering proxy). Set when the
        // row is inserted and never updated, so one call keeps the source that saw it first whichever sights it later.
        // Rows before this migration: the transcripts', except those only the proxy ever saw (no source file, a status).
        // The rollups have no source: a query that filters by source reads the records (see SqliteUsageStore.Query).
        """
        ALTER TABLE records ADD COLUMN source INTEGER NOT NULL DEFAULT 0;
        UPDATE records SET source = 2 WHERE file_id IS NULL AND http_status IS NOT NULL;
        """,

        // 10: what each directory under a projects/ folder held when a sync last listed it, so that a warm sync lists
        // only the directories whose entries changed (see Core's DirectoryListing). Device and inode tell a replaced
        // directory; times are nanoseconds since the Unix epoch; names are joined by '/' (which no name can hold).
        """
        CREATE TABLE dirs (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            dev INTEGER NOT NULL,
            ino INTEGER NOT NULL,
            mtime INTEGER NOT NULL,
            ctime INTEGER NOT NULL,
            listed INTEGER NOT NULL,
            files TEXT NOT NULL,
            subdirs TEXT NOT NULL
        );
        """,

        // 11: the session index covers what session and project reports sum. Grouping by session, project and model
        // read each of the index's rows and then looked its rollup row up (most of a session report's time in SQLite);
        // with the sums in the index the scan reads nothing else. It also keeps a report bounded on one side only (a
        // --since without an --until) from choosing that scan with a lookup per row over the whole rollup.
        """
        DROP INDEX rollup_session;
        CREATE INDEX rollup_session ON rollup (session_id, project, model, calls, input, output, cw5m, cw1h, cache_read,
            web_search, cost, cost_auto, cost_reported, reported_calls, unpriced_calls, long_calls, min_ts, max_ts);
        """,
    ];

    /// <summary>The width of a rollup bucket: a quarter of an hour, in milliseconds.</summary>
    public const long BucketMs = 15 * 60 * 1000;

    public static int Latest => Migrations.Length;

    public static void Migrate(SqliteConnection connection)
    {
        using (var begin = connection.CreateCommand())
        {
            begin.CommandText = "PRAGMA user_version;";
            var version = Convert.ToInt32(begin.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (version > Latest)
            {
                throw new IndexTooNewException($"The index was written by a newer Tally (schema {version}; this one knows {Latest}). Upgrade Tally, or point --data-dir elsewhere.");
            }

            if (version == Latest)
            {
                return; // the usual case: no write lock taken, so a reader never waits behind another process's sync
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
