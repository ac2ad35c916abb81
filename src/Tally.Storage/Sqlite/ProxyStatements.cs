using Microsoft.Data.Sqlite;

namespace Tally.Storage.Sqlite;

/// <summary>
/// The statements the metering proxy's writer runs for every batch, prepared once per connection. Prepared per batch,
/// the record upsert alone (a 40-column conflict clause) cost more than writing a batch of calls, and the writer's
/// every millisecond is one a concurrent request may wait for a core.
/// </summary>
internal sealed class ProxyStatements : IDisposable
{
    public ProxyStatements(SqliteConnection connection, string upsertSql, string upsertHeaderSql)
    {
        Upsert = new RawStatement(connection, upsertSql);
        Dirty = new RawStatement(connection, "INSERT INTO dirty (bucket) VALUES (?1);");
        UpsertSignal = new RawStatement(connection, SqliteUsageStore.UpsertSignalSql);
        ExpireHeaderSignals = new RawStatement(connection, "DELETE FROM signals WHERE kind = ?1 AND last_observed_at < ?2;");
        UpsertHeader = new RawStatement(connection, upsertHeaderSql);
    }

    /// <summary>The proxy's record upsert (see <c>SqliteUsageStore.BuildProxyUpsertSql</c>).</summary>
    public RawStatement Upsert { get; }

    /// <summary>Marks a rollup bucket dirty (parameter: bucket).</summary>
    public RawStatement Dirty { get; }

    /// <summary>The signal upsert (see <see cref="SqliteUsageStore.BindSignal"/>).</summary>
    public RawStatement UpsertSignal { get; }

    /// <summary>Drops signals of one kind last observed before a cutoff (parameters: kind, cutoff in ms).</summary>
    public RawStatement ExpireHeaderSignals { get; }

    /// <summary>Keeps the latest value of each rate-limit header (parameters: account, name, value, status, observed at).</summary>
    public RawStatement UpsertHeader { get; }

    public void Dispose()
    {
        foreach (var statement in new[] { Upsert, Dirty, UpsertSignal, ExpireHeaderSignals, UpsertHeader })
        {
            statement.Dispose();
        }
    }
}
