using Microsoft.Data.Sqlite;
using Tally.Core.Agents;
using Tally.Core.Limits;
using Tally.Core.Pricing;
using Tally.Core.Usage;
using Tally.Storage.Sqlite;

namespace Tally.Storage.Tests;

/// <summary>The metering proxy's writer: one transaction per batch, with statements and catalog ids kept between
/// batches, and every batch stored exactly.</summary>
public class ProxyWriteTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private static UsageRecord Proxied(string id, string? agent, string? session, string model, int? ttft, DateTimeOffset at)
    {
        var record = new UsageRecord
        {
            Key = "m:" + id,
            MessageId = id,
            Timestamp = at,
            SessionId = session,
            Model = model,
            Tokens = new TokenCounts(10, 100, 0, 0, 0),
            ContentHash = 1,
            Proxy = new ProxyCall { Agent = agent, Billing = BillingSource.Api, Account = "acct_0123456789abcdef", Status = 200, LatencyMs = 900, TimeToFirstTokenMs = ttft },
        };
        return record with { Price = PriceCatalog.Embedded.Price(record.ToPricingRequest()) };
    }

    [Fact]
    public async Task After_its_first_batch_the_writer_runs_no_catalog_statement()
    {
        using var temp = new TempDirectory();
        await using var store = SqliteUsageStore.Open(Path.Combine(temp.Path, "index.db"));
        await store.RecordProxyAsync([Proxied("msg_1", "alpha", "s1", "claude-sonnet-4-5-20250929", 50, At)], [], [], CancellationToken.None);

        var statements = new List<string>();
        using (store.TraceStatements(statements))
        {
            await store.RecordProxyAsync(
                [Proxied("msg_2", "alpha", "s1", "claude-sonnet-4-5-20250929", 40, At.AddSeconds(1)), Proxied("msg_3", "beta", "s2", "claude-sonnet-4-5-20250929", 30, At.AddSeconds(2))],
                [], [], CancellationToken.None);
        }

        // Every record used to look its catalog up twice (an insert and a select) inside the transaction: the id of a
        // catalog first seen by the proxy was never cached, because it was created in a transaction that could roll back.
        Assert.DoesNotContain(statements, static s => s.Contains("catalogs", StringComparison.Ordinal));
        Assert.Equal(2, statements.Count(static s => s.StartsWith("INSERT INTO records", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Statements_kept_between_batches_store_each_batch_exactly()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "index.db");
        await using (var store = SqliteUsageStore.Open(path))
        {
            var header = new RateLimitHeader { Account = "acct_0123456789abcdef", Name = "anthropic-ratelimit-unified-5h-utilization", Value = "0.25", Status = 200, ObservedAt = At };
            await store.RecordProxyAsync([Proxied("msg_1", "alpha", "s1", "claude-sonnet-4-5-20250929", 50, At)], [], [header], CancellationToken.None);

            // The second batch leaves out what the first had (agent, session, time to first token) and changes the
            // model: a value bound for the first batch must not survive into the second.
            await store.RecordProxyAsync([Proxied("msg_2", null, null, "claude-opus-4-5-20251101", null, At.AddHours(2))], [], [header with { Value = "0.5", ObservedAt = At.AddHours(2) }], CancellationToken.None);
            await store.RecordProxyAsync([Proxied("msg_3", "alpha", "s1", "claude-sonnet-4-5-20250929", 70, At.AddHours(3))], [], [], CancellationToken.None);
            var headers = await store.RateLimitHeadersAsync(CancellationToken.None);
            Assert.Equal("0.5", Assert.Single(headers).Value);
        }

        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        connection.Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT message_id, proxy_agent, session_id, model, ttft_ms, ts FROM records ORDER BY message_id;";
        using var rows = read.ExecuteReader();
        var stored = new List<string>();
        while (rows.Read())
        {
            stored.Add(string.Join('|', Enumerable.Range(0, rows.FieldCount).Select(i => rows.IsDBNull(i) ? "null" : Convert.ToString(rows.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        Assert.Equal(
        [
            $"msg_1|alpha|s1|claude-sonnet-4-5-20250929|50|{At.ToUnixTimeMilliseconds()}",
            $"msg_2|null|null|claude-opus-4-5-20251101|null|{At.AddHours(2).ToUnixTimeMilliseconds()}",
            $"msg_3|alpha|s1|claude-sonnet-4-5-20250929|70|{At.AddHours(3).ToUnixTimeMilliseconds()}",
        ], stored);
    }
}
