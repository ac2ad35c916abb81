using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tally.Core.Pricing;
using Tally.Core.Storage;
using Tally.Core.Usage;
using Tally.Ingest.ClaudeCode;
using Tally.Ingest.Sync;
using Tally.Proxy.Tests.Harness;
using Tally.Storage.Sqlite;

namespace Tally.Proxy.Tests;

/// <summary>The <c>source</c> of a record is the source that saw its call first, and the source filter selects by it, on
/// a real index written by the proxy and by a transcript sync.</summary>
public sealed class SourceTests
{
    private const string OAuthToken = "sk-ant-oat01-SOURCETESTtoken0123456789";

    internal static async Task ProxyCallAsync(ProxyHarness h, string id, string path = "/v1/messages", string? sessionId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent("""{"model":"claude-sonnet-4-5","max_tokens":64,"stream":true,"messages":[]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OAuthToken);
        request.Headers.TryAddWithoutValidation("x-test-scenario", "stream");
        request.Headers.TryAddWithoutValidation("x-test-message-id", id);
        if (sessionId is not null)
        {
            request.Headers.TryAddWithoutValidation("x-claude-code-session-id", sessionId);
        }

        using var response = await h.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsStringAsync();
        await h.DrainAsync();
    }

    /// <summary>Claude Code's transcript lines for the calls <paramref name="ids"/> (the fake upstream's stream usage), written after
    /// the calls (a later timestamp: the better sighting, so the transcript's working directory joins a proxied record), synced.</summary>
    internal static async Task TranscriptAsync(ProxyHarness h, string session, params string[] ids)
    {
        var folder = Path.Combine(h.Root, "claude", "projects", "-work-app");
        Directory.CreateDirectory(folder);
        var lines = ids.Select((id, i) => $$$$"""{"type":"assistant","uuid":"u-{{{{id}}}}","sessionId":"{{{{session}}}}","cwd":"/work/app","gitBranch":"main","timestamp":"2099-01-01T00:00:0{{{{i}}}}Z","version":"2.1.0","requestId":"req_{{{{id}}}}","message":{"id":"{{{{id}}}}","type":"message","role":"assistant","model":"{{{{FakeUpstream.Model}}}}","content":[{"type":"text","text":"Hello there"}],"usage":{"input_tokens":3,"cache_creation_input_tokens":100,"cache_read_input_tokens":20012,"cache_creation":{"ephemeral_5m_input_tokens":100,"ephemeral_1h_input_tokens":0},"output_tokens":510,"service_tier":"standard"}}}""");
        await File.AppendAllTextAsync(Path.Combine(folder, session + ".jsonl"), string.Join("\n", lines) + "\n");
        await new TranscriptSync(h.Store, PriceCatalog.Embedded, new ProjectResolver()).RunAsync(ClaudeDataLocator.Discover([Path.Combine(h.Root, "claude")]).Files, null, CancellationToken.None);
    }

    private static async Task<(long Calls, decimal Cost)> CostsAsync(ProxyHarness h, string source)
    {
        using var response = await h.Client.GetAsync($"/api/costs?source={source}");
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var totals = json.RootElement.GetProperty("totals");
        return (totals.GetProperty("requests").GetInt64(), totals.GetProperty("totalCost").GetDecimal());
    }

    [Fact]
    public async Task A_call_the_proxy_saw_first_stays_proxy_when_its_transcript_is_synced_and_counts_once()
    {
        await using var h = await ProxyHarness.StartAsync();
        await ProxyCallAsync(h, "msg_first_proxy");
        await TranscriptAsync(h, "sess-src", "msg_first_proxy", "msg_only_transcript");

        var records = (await h.RecordsAsync()).ToDictionary(static r => r.Key, StringComparer.Ordinal);
        Assert.Equal(2, records.Count);
        Assert.Equal(UsageSource.Proxy, records["m:msg_first_proxy"].Source);
        Assert.Equal("/work/app", records["m:msg_first_proxy"].Cwd); // the transcript's facts joined the proxy's record
        Assert.Equal(UsageSource.ClaudeCode, records["m:msg_only_transcript"].Source);

        var all = await CostsAsync(h, "all");
        var proxy = await CostsAsync(h, "proxy");
        var claude = await CostsAsync(h, "claude_code");
        Assert.Equal(2, all.Calls);
        Assert.Equal(1, proxy.Calls);
        Assert.Equal(1, claude.Calls);
        Assert.Equal(all.Cost, proxy.Cost + claude.Cost);
        Assert.Equal(records["m:msg_first_proxy"].Price!.CostUsd, proxy.Cost);
        Assert.Equal((0L, 0m), await CostsAsync(h, "internal"));
    }

    [Fact]
    public async Task A_call_a_transcript_saw_first_stays_claude_code_when_the_proxy_sees_it_later()
    {
        await using var h = await ProxyHarness.StartAsync();
        await TranscriptAsync(h, "sess-late", "msg_first_transcript");
        await ProxyCallAsync(h, "msg_first_transcript", "/agents/late/v1/messages");

        var record = Assert.Single(await h.RecordsAsync());
        Assert.Equal(UsageSource.ClaudeCode, record.Source);
        Assert.Equal("late", record.Proxy!.Agent); // the proxy's facts are kept all the same
        Assert.Equal(1, (await CostsAsync(h, "claude_code")).Calls);
        Assert.Equal(0, (await CostsAsync(h, "proxy")).Calls);
    }

    [Fact]
    public async Task Every_store_query_filters_by_source_at_row_level()
    {
        await using var h = await ProxyHarness.StartAsync();
        await ProxyCallAsync(h, "msg_p1", sessionId: "sess-mixed");
        await ProxyCallAsync(h, "msg_p2", sessionId: "sess-mixed");
        await TranscriptAsync(h, "sess-mixed", "msg_p1", "msg_t1", "msg_t2", "msg_t3");

        foreach (var (sources, expected) in new (UsageSource[]? Sources, long Calls)[]
        {
            (null, 5), ([UsageSource.Proxy], 2), ([UsageSource.ClaudeCode], 3), ([UsageSource.ClaudeCode, UsageSource.Proxy], 5),
            ([UsageSource.Internal, UsageSource.Proxy], 2), ([UsageSource.Internal], 0),
        })
        {
            var query = new UsageQuery { Sources = sources };
            var grouped = await h.Store.AggregateAsync(query with { GroupBy = GroupBy.QuarterHour | GroupBy.Session | GroupBy.Model }, CancellationToken.None);
            var agents = await h.Store.AgentActivityAsync(query, CancellationToken.None);
            long scanned = 0;
            await h.Store.ScanRecordsAsync(query, _ => scanned++, CancellationToken.None);
            long read = 0;
            await foreach (var unused in h.Store.ReadRecordsAsync(query, CancellationToken.None))
            {
                read++;
            }

            var label = sources is null ? "all" : string.Join(",", sources);
            Assert.True(expected == grouped.Sum(static r => r.Calls), $"aggregate, {label}");
            Assert.True(expected == agents.Sum(static r => r.Calls), $"agent activity, {label}");
            Assert.True(expected == scanned, $"scan, {label}");
            Assert.True(expected == read, $"records, {label}");
        }
    }

    [Fact]
    public async Task The_migration_marks_calls_only_the_proxy_saw_as_proxy_and_the_rest_claude_code()
    {
        await using var h = await ProxyHarness.StartAsync();
        await ProxyCallAsync(h, "msg_proxy_only");
        await ProxyCallAsync(h, "msg_both_seen");
        await TranscriptAsync(h, "sess-mig", "msg_both_seen", "msg_transcript_only");
        await h.Store.DisposeAsync(); // the server keeps running; nothing writes any more

        // The index as schema 8 left it: no source column (and no directory listings).
        using (var connection = new SqliteConnection($"Data Source={h.IndexFile};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE dirs; ALTER TABLE records DROP COLUMN source; PRAGMA user_version = 8;";
            command.ExecuteNonQuery();
        }

        await using var reopened = SqliteUsageStore.Open(h.IndexFile);
        var sources = new Dictionary<string, UsageSource>(StringComparer.Ordinal);
        await foreach (var record in reopened.ReadRecordsAsync(new UsageQuery(), CancellationToken.None))
        {
            sources[record.Key] = record.Source;
        }

        Assert.Equal(UsageSource.Proxy, sources["m:msg_proxy_only"]);
        Assert.Equal(UsageSource.ClaudeCode, sources["m:msg_both_seen"]); // who saw it first is not known: the transcripts'
        Assert.Equal(UsageSource.ClaudeCode, sources["m:msg_transcript_only"]);
    }
}
