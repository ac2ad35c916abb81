using System.Text.Json;
using Tally.Proxy.Tests.Harness;

namespace Tally.Proxy.Tests;

/// <summary>The agents the proxy names, in <c>GET /api/agents</c> and <c>GET /api/costs?group_by=agent</c>, beside the
/// transcripts' sessions and without counting a call twice.</summary>
public sealed class AgentReportTests
{
    private const string Range = "start_date=2026-01-01&end_date=2099-12-31&timezone=UTC";

    [Fact]
    public async Task A_proxy_agent_is_one_row_and_one_card_and_its_sessions_other_calls_stay_with_the_session()
    {
        await using var h = await ProxyHarness.StartAsync();
        await SourceTests.ProxyCallAsync(h, "msg_alpha1", "/agents/alpha/v1/messages", sessionId: "sess-x");
        await SourceTests.ProxyCallAsync(h, "msg_alpha2", "/agents/alpha/v1/messages");
        await SourceTests.TranscriptAsync(h, "sess-x", "msg_alpha1", "msg_plain");

        using (var response = await h.Client.GetAsync($"/api/costs?group_by=agent&{Range}"))
        {
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(static r => r.GetProperty("key").GetString()!, StringComparer.Ordinal);
            Assert.Equal(["alpha", "sess-x"], rows.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(2, rows["alpha"].GetProperty("requests").GetInt64());
            Assert.Equal("alpha", rows["alpha"].GetProperty("proxyAgent").GetString());
            Assert.Equal("subscription", rows["alpha"].GetProperty("billing").GetString());
            Assert.Equal(1, rows["sess-x"].GetProperty("requests").GetInt64());
            Assert.Equal(JsonValueKind.Null, rows["sess-x"].GetProperty("proxyAgent").ValueKind);
            Assert.Equal(JsonValueKind.Null, rows["sess-x"].GetProperty("billing").ValueKind);
            Assert.Equal(3, json.RootElement.GetProperty("totals").GetProperty("requests").GetInt64());
            Assert.Equal(json.RootElement.GetProperty("totals").GetProperty("totalCost").GetDecimal(), rows.Values.Sum(static r => r.GetProperty("totalCost").GetDecimal()));
        }

        using (var response = await h.Client.GetAsync($"/api/agents?changes=false&{Range}"))
        {
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var cards = json.RootElement.GetProperty("agents").EnumerateArray().ToList();
            Assert.Equal(2, cards.Count);
            var alpha = Assert.Single(cards, static c => c.GetProperty("agent").GetString() == "alpha");
            Assert.Equal(2, alpha.GetProperty("messages").GetInt64());
            Assert.Equal(("subscription", "proxy"), (alpha.GetProperty("billing").GetString(), alpha.GetProperty("billingFrom").GetString()));
            Assert.False(string.IsNullOrEmpty(alpha.GetProperty("lastActivity").GetString()));
            var session = Assert.Single(cards, static c => c.GetProperty("agent").ValueKind == JsonValueKind.Null);
            Assert.Equal("sess-x", session.GetProperty("sessionId").GetString());
            Assert.Equal(1, session.GetProperty("messages").GetInt64());
            Assert.Equal(3, json.RootElement.GetProperty("totals").GetProperty("messages").GetInt64());
        }
    }
}
