using Microsoft.Data.Sqlite;
using Tally.Core.Pricing;
using Tally.Core.Storage;
using Tally.Core.Usage;

namespace Tally.Storage.Sqlite;

/// <summary>
/// The embedded index: one SQLite file in WAL mode, shared safely by several processes. Records are upserted by
/// key, keeping the best sighting of each call (<see cref="RecordRank"/>) and the earliest time any sighting was
/// made; each file's cursor moves in the same transaction as the records it covers.
/// </summary>
public sealed partial class SqliteUsageStore : IUsageStore
{
    /// <summary>Money is stored as whole units of 10⁻¹⁰ USD: exact for every catalog price, summed exactly in SQL.</summary>
    internal const decimal MoneyScale = 10_000_000_000m;

    private static readonly string[] RecordColumns =
    [
        "message_id", "request_id", "uuid", "session_id", "agent_id", "is_sidechain", "cwd", "project", "git_branch",
        "model", "input", "output", "cw5m", "cw1h", "cache_read", "split_missing", "web_search", "web_fetch",
        "service_tier", "speed", "geo", "reported_cost", "cost", "price_status", "long_context", "catalog", "tools",
        "client_version", "file_id", "line", "seen_ts",
    ];

    /// <summary>The sources whose records this index holds: Claude Code's transcripts and the metering proxy. Each
    /// record keeps the one that saw its call first (the <c>source</c> column).</summary>
    public static readonly IReadOnlyList<UsageSource> IndexedSources = [UsageSource.ClaudeCode, UsageSource.Proxy];

    /// <summary>The execution mode of every record this index holds today: Claude Code's calls go to hosted models.</summary>
    public const ExecutionMode IndexedMode = ExecutionMode.Cloud;

    /// <summary>The record upsert, and the same returning the row's id (for where the connection's last-insert rowid
    /// cannot be read and set: a RETURNING clause builds a temporary table at every row, which cost a first sync about
    /// a fifth of its writer's time).</summary>
    private static readonly string UpsertSql = BuildUpsertSql(returning: false), UpsertReturningSql = BuildUpsertSql(returning: true);

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, long> _catalogIds = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IngestStatements? _statements;
    private ProxyStatements? _proxyStatements;

    private SqliteUsageStore(SqliteConnection connection, string path)
    {
        _connection = connection;
        Path = path;
    }

    /// <summary>Tests only: runs inside the ingest transaction after each batch is written and before the transaction
    /// commits; a throw here is a crash between writing and committing (everything uncommitted is lost).</summary>
    internal Action<IngestBatch>? BeforeCommit { get; set; }

    /// <summary>Tests only: collects the text of every statement the store's connection runs until the result is
    /// disposed (SQLite's trace hook).</summary>
    internal IDisposable TraceStatements(ICollection<string> into)
    {
        var db = _connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        SQLitePCL.raw.sqlite3_trace(db, (SQLitePCL.strdelegate_trace)((_, sql) => into.Add(sql)), null);
        return new TraceOff(db);
    }

    private sealed class TraceOff(SQLitePCL.sqlite3 db) : IDisposable
    {
        public void Dispose() => SQLitePCL.raw.sqlite3_trace(db, (SQLitePCL.strdelegate_trace?)null, null);
    }

    /// <summary>The index file.</summary>
    public string Path { get; }

    /// <summary>Tests only: the first value a <c>PRAGMA</c> returns on the store's own connection (no gate: it is
    /// called from inside <see cref="BeforeCommit"/> too).</summary>
    internal long ReadPragma(string pragma)
    {
        using var statement = new RawStatement(_connection, $"PRAGMA {pragma};");
        return statement.Step() ? statement.Int64(0) : throw new InvalidOperationException($"PRAGMA {pragma} returned no row");
    }

    /// <summary>Opens (creating when needed) the index at <paramref name="path"/> and brings its schema up to date.</summary>
    /// <param name="path">The index file.</param>
    /// <param name="busyTimeout">How long a write waits for another process's write lock before failing (default a
    /// minute; a status-line render uses a short one so that renders never pile up behind a long sync).</param>
    public static SqliteUsageStore Open(string path, TimeSpan? busyTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var busy = busyTimeout ?? TimeSpan.FromMinutes(1);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busy.TotalSeconds)),
        }.ToString());
        connection.Open();
        var busyMs = (long)busy.TotalMilliseconds;
        Execute(connection, $"PRAGMA busy_timeout = {busyMs.ToString(System.Globalization.CultureInfo.InvariantCulture)}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384;");
        SqliteSchema.Migrate(connection);
        return new SqliteUsageStore(connection, path);
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, FileCursor>> LoadCursorsAsync(CancellationToken cancellationToken) =>
        ReadCursorsAsync(null, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, FileCursor>> LoadCursorsAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return ReadCursorsAsync(paths, cancellationToken);
    }

    private async Task<IReadOnlyDictionary<string, FileCursor>> ReadCursorsAsync(IReadOnlyCollection<string>? paths, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            const string Columns = "SELECT path, size, mtime, offset, lines, head_hash, consumed_hash, missing FROM files";
            using var statement = new RawStatement(_connection, paths is null ? Columns + ";" : Columns + " WHERE path = ?1;");
            var cursors = new Dictionary<string, FileCursor>(StringComparer.Ordinal);
            foreach (var path in paths ?? [null!])
            {
                if (paths is not null)
                {
                    statement.Bind(1, path);
                }

                while (statement.Step())
                {
                    var cursor = new FileCursor
                    {
                        Path = statement.Text(0),
                        Size = statement.Int64(1),
                        ModifiedTicks = statement.Int64(2),
                        Offset = statement.Int64(3),
                        Lines = statement.Int64(4),
                        HeadHash = unchecked((ulong)statement.Int64(5)),
                        ConsumedHash = unchecked((ulong)statement.Int64(6)),
                        Missing = statement.Int64(7) != 0,
                    };
                    cursors[cursor.Path] = cursor;
                }

                statement.Reset();
            }

            return cursors;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IIngestTransaction> BeginIngestAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return new SqliteIngestTransaction(this);
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    /// <summary>True when the index holds no record and knows no transcript (its first sync has yet to commit).</summary>
    private bool HoldsNothing()
    {
        using var statement = new RawStatement(_connection, "SELECT NOT EXISTS (SELECT 1 FROM records) AND NOT EXISTS (SELECT 1 FROM files);");
        return statement.Step() && statement.Int64(0) != 0;
    }

    /// <inheritdoc />
    public async Task MarkMissingAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            foreach (var path in paths)
            {
                Execute(transaction, "UPDATE files SET missing = 1 WHERE path = $path;", ("$path", path));
            }

            transaction.Commit();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _statements?.Dispose();
        _proxyStatements?.Dispose();
        _connection.Dispose();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }

    private static bool SameCursor(FileCursor? stored, FileCursor? expected)
    {
        if (stored is null || expected is null)
        {
            return stored is null && expected is null;
        }

        return stored.Offset == expected.Offset && stored.Lines == expected.Lines && stored.HeadHash == expected.HeadHash
            && stored.ConsumedHash == expected.ConsumedHash && stored.Size == expected.Size && stored.ModifiedTicks == expected.ModifiedTicks
            && stored.Missing == expected.Missing;
    }

    private static string BuildUpsertSql(bool returning)
    {
        var names = string.Join(", ", RecordColumns);
        var values = string.Join(", ", RecordColumns.Select((_, i) => "?" + (i + 4).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var updates = string.Join(",\n  ", RecordColumns.Select(c => $"{c} = IIF(excluded.rank > records.rank, excluded.{c}, records.{c})"));
        return $"""
            INSERT INTO records (key, rank, ts, {names}) VALUES (?1, ?2, ?3, {values})
            ON CONFLICT (key) DO UPDATE SET
              {updates},
              ts = MIN(records.ts, excluded.ts),
              rank = MAX(records.rank, excluded.rank)
            WHERE excluded.rank > records.rank OR excluded.ts < records.ts{(returning ? "\nRETURNING id" : string.Empty)};
            """;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void Execute(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
