using System.Text.Json;
using Tally.Cli.Tests.Harness;
using Tally.Core.Agents;
using Tally.Core.Pricing;
using Tally.Core.Usage;
using Tally.Storage.Sqlite;

namespace Tally.Cli.Tests.Agents;

/// <summary><c>tally agents</c> with calls the metering proxy named agents for, beside the transcripts' sessions.</summary>
public class ProxyAgentsTests
{
    private const string Acme = "5f0c2c1e-7a7b-4f0e-9a57-1c2d3e4f5a6b";

    /// <summary>Three minutes after the acme-api session's last call (10:52).</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 55, 0, TimeSpan.Zero);

    /// <summary>A call as the proxy records it (what MeteringProxy writes: priced, with its ProxyCall).</summary>
    internal static UsageRecord Proxied(string id, string? agent, BillingSource billing, DateTimeOffset at, string? session = null, long output = 1_000)
    {
        var record = new UsageRecord
        {
            Key = "m:" + id,
            MessageId = id,
            Timestamp = at,
            SessionId = session,
            Model = "claude-sonnet-4-5-20250929",
            Tokens = new TokenCounts(10, output, 0, 0, 0),
            ContentHash = 1,
            Proxy = new ProxyCall { Agent = agent, Billing = billing, Account = "acct_0123456789abcdef", Status = 200, LatencyMs = 900 },
        };
        return record with { Price = PriceCatalog.Embedded.Price(record.ToPricingRequest()) };
    }

    internal static async Task WriteAsync(TallyCli cli, params UsageRecord[] records)
    {
        await using var store = SqliteUsageStore.Open(Path.Combine(cli.DataDir, "index.db"));
        await store.RecordProxyAsync(records, [], [], CancellationToken.None);
    }

    [Fact]
    public async Task Proxy_named_agents_get_a_card_each_with_the_billing_the_proxy_saw_beside_the_sessions()
    {
        using var cli = new TallyCli();
        cli.Clock.Now = Now;
        var reviewer1 = Proxied("msg_rev1", "reviewer", BillingSource.Subscription, Now.AddMinutes(-50));
        var reviewer2 = Proxied("msg_rev2", "reviewer", BillingSource.Subscription, Now.AddMinutes(-2), session: "sess-rev", output: 2_000);
        var builder = Proxied("msg_bld", "builder", BillingSource.Api, Now.AddHours(-3));
        var unnamed = Proxied("msg_unnamed", null, BillingSource.Api, Now.AddMinutes(-30)); // neither agent nor session: no card
        await WriteAsync(cli, reviewer1, reviewer2, builder, unnamed);

        var json = (await cli.RunAsync("agents", "--json", "-z", "UTC")).Json();
        var cards = json.GetProperty("agents").EnumerateArray().ToList();
        Assert.Equal(3, cards.Count);
        var byName = cards.ToDictionary(static c => c.GetProperty("name").GetString()!, StringComparer.Ordinal);

        var reviewer = byName["reviewer"];
        Assert.Equal("reviewer", reviewer.GetProperty("agent").GetString());
        Assert.Equal("sess-rev", reviewer.GetProperty("sessionId").GetString()); // its latest call's session
        Assert.Equal(2, reviewer.GetProperty("messages").GetInt64());
        Assert.Equal(reviewer1.Price!.CostUsd + reviewer2.Price!.CostUsd, reviewer.GetProperty("totalCost").GetDecimal());
        Assert.Equal(("subscription", "proxy"), (reviewer.GetProperty("billing").GetString(), reviewer.GetProperty("billingFrom").GetString()));
        Assert.Equal("active", reviewer.GetProperty("status").GetString());
        Assert.Equal("2026-11-20T10:53:00.000Z", reviewer.GetProperty("lastActivity").GetString());

        var built = byName["builder"];
        Assert.Equal(("api", "proxy"), (built.GetProperty("billing").GetString(), built.GetProperty("billingFrom").GetString()));
        Assert.Equal(JsonValueKind.Null, built.GetProperty("sessionId").ValueKind);
        Assert.Equal("idle", built.GetProperty("status").GetString());

        var acme = byName["acme-api"];
        Assert.Equal(Acme, acme.GetProperty("sessionId").GetString());
        Assert.Equal(JsonValueKind.Null, acme.GetProperty("agent").ValueKind);
        Assert.Equal(5, acme.GetProperty("messages").GetInt64());
        Assert.Equal(5 + 2 + 1, json.GetProperty("totals").GetProperty("messages").GetInt64());

        var table = await cli.RunAsync("agents", "-z", "UTC");
        Assert.Contains("reviewer", table.Console, StringComparison.Ordinal);
        Assert.Contains("builder", table.Console, StringComparison.Ordinal);
        Assert.Contains("proxy", table.Console, StringComparison.Ordinal);
        Assert.Contains("[API]", table.Console, StringComparison.Ordinal);
        Assert.Contains("[Sub]", table.Console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transcript_call_the_proxy_named_is_on_the_agents_card_only()
    {
        using var cli = new TallyCli();
        cli.Clock.Now = Now;
        var before = (await cli.RunAsync("agents", "--json", "-z", "UTC")).Json();
        var acmeCost = before.GetProperty("agents")[0].GetProperty("totalCost").GetDecimal();

        // The proxy saw one of the acme-api session's calls (same message id as its transcript line) under "lead".
        var sample = await FirstAcmeCallAsync(cli);
        await WriteAsync(cli, Proxied(sample.MessageId!, "lead", BillingSource.Subscription, sample.Timestamp, session: Acme, output: sample.Tokens.Output) with { Tokens = sample.Tokens, ContentHash = sample.ContentHash });

        var json = (await cli.RunAsync("agents", "--json", "-z", "UTC")).Json();
        var cards = json.GetProperty("agents").EnumerateArray().ToDictionary(static c => c.GetProperty("name").GetString()!, StringComparer.Ordinal);
        Assert.Equal(1, cards["lead"].GetProperty("messages").GetInt64());
        Assert.Equal(4, cards["acme-api"].GetProperty("messages").GetInt64());
        Assert.Equal(acmeCost, cards["lead"].GetProperty("totalCost").GetDecimal() + cards["acme-api"].GetProperty("totalCost").GetDecimal());
        Assert.Equal(5, json.GetProperty("totals").GetProperty("messages").GetInt64());
    }

    private static async Task<UsageRecord> FirstAcmeCallAsync(TallyCli cli)
    {
        await using var store = SqliteUsageStore.Open(Path.Combine(cli.DataDir, "index.db"));
        await foreach (var record in store.ReadRecordsAsync(new Core.Storage.UsageQuery { SessionId = Acme }, CancellationToken.None))
        {
            if (record.MessageId is not null && record.AgentId is null && record.Price!.CostUsd > 0)
            {
                return record;
            }
        }

        throw new Xunit.Sdk.XunitException("the sample's acme-api session has no call with a message id");
    }
}
