using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Tally.Core.Agents;
using Tally.Core.Limits;
using Tally.Proxy.Tests.Harness;

namespace Tally.Proxy.Tests;

public sealed class ForwardingAndMeteringTests
{
    private const string OAuthToken = "sk-ant-oat01-SECRETOAUTHxyzzy0123456789abcdefPLUGH";
    private const string ApiKey = "sk-ant-api03-SECRETAPIKEYfrobnitz9876543210ZORKMID";

    private static HttpRequestMessage Messages(string path, string scenario, string? id = null, bool oauth = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent("""{"model":"claude-sonnet-4-5","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        request.Headers.TryAddWithoutValidation("anthropic-beta", "oauth-2025-04-20,claude-code-20250219");
        request.Headers.TryAddWithoutValidation("x-test-scenario", scenario);
        if (id is not null)
        {
            request.Headers.TryAddWithoutValidation("x-test-message-id", id);
        }

        if (oauth)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OAuthToken);
        }
        else
        {
            request.Headers.TryAddWithoutValidation("x-api-key", ApiKey);
        }

        return request;
    }

    [Fact]
    public async Task A_stream_passes_through_byte_for_byte_and_becomes_one_record_with_its_agent_billing_and_cumulative_usage()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var request = Messages("/agents/reviewer/v1/messages?beta=true", "stream", "msg_stream1");
        request.Headers.TryAddWithoutValidation("x-claude-code-session-id", "sess-1");
        using var response = await h.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FakeUpstream.StreamBody("msg_stream1"), body); // pings and all
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("0.42", response.Headers.GetValues("anthropic-ratelimit-unified-5h-utilization").Single());
        Assert.False(response.Headers.Contains("X-Frame-Options")); // nothing of Tally's added to the upstream's answer

        var seen = Assert.Single(h.Upstream.Requests);
        Assert.Equal("POST", seen.Method);
        Assert.Equal("/v1/messages?beta=true", seen.PathAndQuery);
        Assert.Equal("Bearer " + OAuthToken, seen.Headers["authorization"]); // the client's credential, untouched
        Assert.Equal("oauth-2025-04-20,claude-code-20250219", seen.Headers["anthropic-beta"]);
        Assert.Equal("2023-06-01", seen.Headers["anthropic-version"]);
        Assert.Equal("sess-1", seen.Headers["x-claude-code-session-id"]);
        Assert.Equal(h.Upstream.Address.Authority, seen.Headers["host"]); // the upstream's name, not the proxy's (Anthropic's edge routes by it)
        Assert.Equal("""{"model":"claude-sonnet-4-5","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8.GetString(seen.Body));

        var record = Assert.Single(await h.RecordsAsync());
        Assert.Equal("m:msg_stream1", record.Key);
        Assert.Equal("req_msg_stream1", record.RequestId);
        Assert.Equal(FakeUpstream.Model, record.Model);
        Assert.Equal("sess-1", record.SessionId);
        Assert.Equal(new Core.Usage.TokenCounts(3, 510, 100, 0, 20012), record.Tokens); // the last delta's output wins
        Assert.True(record.Price!.CostUsd > 0m);
        var proxy = record.Proxy!;
        Assert.Equal("reviewer", proxy.Agent);
        Assert.Equal(BillingSource.Subscription, proxy.Billing);
        Assert.StartsWith("acct_", proxy.Account, StringComparison.Ordinal);
        Assert.Equal(200, proxy.Status);
        Assert.Equal("ok", proxy.Outcome);
        Assert.NotNull(proxy.TimeToFirstTokenMs);
        Assert.True(proxy.LatencyMs >= proxy.TimeToFirstTokenMs);
    }

    [Fact]
    public async Task A_non_streamed_call_with_an_api_key_is_billed_to_the_api_and_the_agent_header_names_it()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var request = Messages("/v1/messages", "json", "msg_json1", oauth: false);
        request.Headers.TryAddWithoutValidation("x-tally-agent", "builder");
        using var response = await h.Client.SendAsync(request);
        Assert.Equal(FakeUpstream.JsonBody("msg_json1"), await response.Content.ReadAsStringAsync());

        var record = Assert.Single(await h.RecordsAsync());
        Assert.Equal(new Core.Usage.TokenCounts(12, 34, 0, 0, 0), record.Tokens);
        Assert.Equal("builder", record.Proxy!.Agent);
        Assert.Equal(BillingSource.Api, record.Proxy.Billing);
        Assert.Equal(ApiKey, Assert.Single(h.Upstream.Requests).Headers["x-api-key"]);
    }

    [Fact]
    public async Task The_same_credential_gets_the_same_fingerprint_and_another_credential_another()
    {
        await using var h = await ProxyHarness.StartAsync();
        foreach (var (id, oauth) in new[] { ("msg_a", true), ("msg_b", true), ("msg_c", false) })
        {
            using var request = Messages("/v1/messages", "json", id, oauth);
            using var response = await h.Client.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }

        var accounts = (await h.RecordsAsync()).OrderBy(static r => r.Key, StringComparer.Ordinal).Select(static r => r.Proxy!.Account).ToList();
        Assert.Equal(accounts[0], accounts[1]);
        Assert.NotEqual(accounts[0], accounts[2]);
    }

    [Fact]
    public async Task An_error_event_after_a_200_is_recorded_with_the_usage_message_start_gave()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var request = Messages("/v1/messages", "error-after-200", "msg_err");
        using var response = await h.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("event: error", body, StringComparison.Ordinal);

        var record = Assert.Single(await h.RecordsAsync());
        Assert.Equal(50, record.Tokens.Input);
        Assert.Equal("error:overloaded_error", record.Proxy!.Outcome);
    }

    [Fact]
    public async Task A_stream_is_never_buffered_and_a_client_that_leaves_mid_stream_still_leaves_a_record()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var request = Messages("/v1/messages", "slow", "msg_slow");
        using var response = await h.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream);

        // The upstream has sent message_start and a ping and now waits for the test: the client reads them before that.
        Assert.Equal("event: message_start", await reader.ReadLineAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, await reader.ReadLineAsync());
        Assert.Equal("event: ping", await reader.ReadLineAsync());

        h.Upstream.Release.SetResult();
        string? line;
        while ((line = await reader.ReadLineAsync()) != "event: message_stop")
        {
            Assert.NotNull(line);
        }

        // The upstream now holds the connection open; the client goes away.
        response.Dispose();
        await h.Upstream.ClientGone.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var record = await WaitForRecordAsync(h, "m:msg_slow");
        Assert.Equal(new Core.Usage.TokenCounts(7, 9, 0, 0, 0), record.Tokens);
        Assert.Equal("client_aborted", record.Proxy!.Outcome);
    }

    [Fact]
    public async Task Token_counting_passes_through_unmetered()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var request = Messages("/agents/a1/v1/messages/count_tokens?beta=true", "count");
        using var response = await h.Client.SendAsync(request);
        Assert.Equal("""{"input_tokens":2095}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("/v1/messages/count_tokens?beta=true", Assert.Single(h.Upstream.Requests).PathAndQuery);
        Assert.Empty(await h.RecordsAsync());
    }

    [Theory]
    [InlineData("429", 429, "quota")]
    [InlineData("spend-cap", 429, "spend_cap")]
    [InlineData("529", 529, "overloaded")]
    public async Task Refusals_pass_through_unchanged_and_are_told_apart(string scenario, int status, string refusal)
    {
        await using var h = await ProxyHarness.StartAsync();
        using var request = Messages("/v1/messages", scenario, "msg_refused", oauth: scenario != "spend-cap");
        using var response = await h.Client.SendAsync(request);
        Assert.Equal(status, (int)response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("""{"type":"error","error":""", body, StringComparison.Ordinal);
        if (scenario == "429")
        {
            Assert.Equal("17", response.Headers.GetValues("retry-after").Single());
        }

        await h.DrainAsync();
        var headers = await h.Store.RateLimitHeadersAsync(CancellationToken.None);
        Assert.Contains(headers, x => x.Name == "x-tally-refusal" && x.Value == refusal && x.Status == status);
        Assert.Contains(headers, x => x.Name == "anthropic-ratelimit-requests-remaining" && x.Value == "3999");
        Assert.Empty(await h.RecordsAsync());
    }

    [Fact]
    public async Task Unified_headers_are_kept_by_name_and_their_utilisation_becomes_the_plan_usage_signal()
    {
        await using var h = await ProxyHarness.StartAsync();
        using (var request = Messages("/v1/messages", "429"))
        using (var response = await h.Client.SendAsync(request))
        {
            Assert.Equal(429, (int)response.StatusCode);
        }

        await h.DrainAsync();
        var headers = await h.Store.RateLimitHeadersAsync(CancellationToken.None);
        Assert.Contains(headers, x => x.Name == "anthropic-ratelimit-unified-future-thing" && x.Value == "kept");
        Assert.Contains(headers, x => x.Name == "anthropic-ratelimit-unified-status" && x.Value == "rejected");
        Assert.DoesNotContain(headers, x => x.Value.Contains("SECRET", StringComparison.Ordinal));

        var signals = await h.Store.SignalsAsync(DateTimeOffset.MinValue, CancellationToken.None);
        var five = Assert.Single(signals, s => s.Window == WindowKind.FiveHour);
        Assert.Equal(SignalKind.Header, five.Kind);
        Assert.Equal(101m, five.Utilisation); // 1.01 as a fraction: an exhausted window
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795716000), five.ResetsAt);
        Assert.Equal(88m, Assert.Single(signals, s => s.Window == WindowKind.Weekly).Utilisation);
        Assert.Equal("sonnet", Assert.Single(signals, s => s.Window == WindowKind.Model).Model);

        // GET /api/costs/rate-limits answers from the same headers: the exhausted 5-hour window is the tightest.
        using var answer = await h.Client.GetAsync("/api/costs/rate-limits");
        using var json = System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        var account = Assert.Single(json.RootElement.GetProperty("accounts").EnumerateArray());
        Assert.StartsWith("acct_", account.GetProperty("account").GetString(), StringComparison.Ordinal);
        Assert.Equal("5h", account.GetProperty("limit").GetString());
        Assert.Equal(0m, account.GetProperty("headroom").GetDecimal());
        Assert.Equal("proxy", account.GetProperty("signal").GetString());
    }

    [Fact]
    public async Task An_unreachable_upstream_is_an_anthropic_format_502()
    {
        await using var h = await ProxyHarness.StartAsync(p => p with { Upstream = new Uri("http://127.0.0.1:1/") });
        using var request = Messages("/v1/messages", "json");
        using var response = await h.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("\"type\":\"api_error\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_agent_name_is_refused_in_the_apis_error_shape()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var request = Messages("/agents/has%20space/v1/messages", "json");
        using var response = await h.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid_request_error", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(h.Upstream.Requests);
    }

    [Fact]
    public async Task A_bad_agent_header_is_refused_and_the_bare_v1_path_under_an_agent_is_forwarded()
    {
        await using var h = await ProxyHarness.StartAsync();
        using (var request = Messages("/v1/messages", "json"))
        {
            request.Headers.TryAddWithoutValidation("x-tally-agent", "no/slashes");
            using var response = await h.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        using (var request = Messages("/agents/a-1/v1", "count"))
        {
            using var response = await h.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal("/v1", Assert.Single(h.Upstream.Requests).PathAndQuery);
        Assert.True(ProxyRegistration.IsProxyPath("/agents/a-1/v1/messages"));
        Assert.False(ProxyRegistration.IsProxyPath("/agents"));
        Assert.False(ProxyRegistration.IsProxyPath("/agents/a-1"));
        Assert.False(ProxyRegistration.IsProxyPath("/agents/a-1/settings"));
    }

    [Fact]
    public async Task Proxy_paths_need_no_tally_token_on_loopback_but_keep_the_host_check_and_refuse_web_pages()
    {
        await using var h = await ProxyHarness.StartAsync();
        using (var request = Messages("/v1/messages", "json"))
        {
            request.Headers.Host = "evil.example";
            using var response = await h.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        }

        using (var request = Messages("/v1/messages", "json"))
        {
            request.Headers.TryAddWithoutValidation("Origin", "https://evil.example");
            using var response = await h.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.Empty(h.Upstream.Requests);
    }

    [Fact]
    public async Task With_a_token_the_proxy_wants_it_in_x_tally_token_and_does_not_pass_it_on()
    {
        const string token = "0123456789abcdef0123456789abcdef";
        await using var h = await ProxyHarness.StartAsync(server: s => s with { Token = token });
        using (var request = Messages("/v1/messages", "json"))
        {
            using var response = await h.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("authentication_error", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var request = Messages("/v1/messages", "json"))
        {
            request.Headers.TryAddWithoutValidation("x-tally-token", token);
            using var response = await h.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var seen = Assert.Single(h.Upstream.Requests);
        Assert.False(seen.Headers.ContainsKey("x-tally-token"));
        Assert.Equal("Bearer " + OAuthToken, seen.Headers["authorization"]);
    }

    [Fact]
    public async Task A_store_that_cannot_be_written_is_counted_and_logged_and_the_call_goes_on_untouched()
    {
        await using var h = await ProxyHarness.StartAsync();
        await h.Store.DisposeAsync(); // every write now fails
        using var request = Messages("/v1/messages", "stream", "msg_lost");
        using var response = await h.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FakeUpstream.StreamBody("msg_lost"), await response.Content.ReadAsStringAsync());

        await h.DrainAsync();
        Assert.Equal(1, h.Server.ProxyStats!.WriteFailures);
        Assert.Equal(1, h.Server.ProxyStats.Metered);
        Assert.Contains(h.Logs, static l => l.Contains("Writing 1 metered calls to the index failed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/api/hello")]
    [InlineData("/agents/warm-1/api/hello")]
    public async Task Claude_codes_warm_up_is_forwarded_upstream_unmetered_and_tallys_own_api_is_untouched(string path)
    {
        await using var h = await ProxyHarness.StartAsync();
        using (var hello = new HttpRequestMessage(HttpMethod.Head, path))
        {
            hello.Headers.TryAddWithoutValidation("x-api-key", ApiKey);
            hello.Headers.UserAgent.ParseAdd("claude-cli/2.1.0");
            using var response = await h.Client.SendAsync(hello);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("upstream", response.Headers.GetValues("x-test-hello").Single()); // the upstream's answer, not Tally's
        }

        var seen = Assert.Single(h.Upstream.Requests);
        Assert.Equal(("HEAD", "/api/hello"), (seen.Method, seen.PathAndQuery));
        Assert.Equal(ApiKey, seen.Headers["x-api-key"]);
        Assert.Empty(await h.RecordsAsync());
        Assert.Equal(0, h.Server.ProxyStats!.Unmetered);

        // Tally's own API keeps its rules and answers (the warm-up path is the only /api path the proxy takes).
        using var agents = await h.Client.GetAsync("/api/agents");
        Assert.Equal(HttpStatusCode.OK, agents.StatusCode);
        Assert.Equal("DENY", agents.Headers.GetValues("X-Frame-Options").Single());
        Assert.Single(h.Upstream.Requests);
        Assert.True(ProxyRegistration.IsProxyPath("/api/hello"));
        Assert.False(ProxyRegistration.IsProxyPath("/api/hello/more"));
        Assert.False(ProxyRegistration.IsProxyPath("/api/agents"));
    }

    [Theory]
    [InlineData("garbage-json", "its body could not be parsed")]
    [InlineData("garbage-sse", "its body could not be parsed")]
    public async Task An_answer_the_meter_cannot_parse_is_counted_and_logged_and_the_client_gets_its_bytes_unchanged(string scenario, string reason)
    {
        await using var h = await ProxyHarness.StartAsync();
        using var request = Messages("/agents/odd/v1/messages", scenario);
        using var response = await h.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(scenario == "garbage-json" ? FakeUpstream.GarbageJson : FakeUpstream.GarbageSse, await response.Content.ReadAsStringAsync());

        Assert.Empty(await h.RecordsAsync());
        Assert.Equal(1, h.Server.ProxyStats!.Unmetered);
        Assert.Equal(0, h.Server.ProxyStats.Metered);
        Assert.Contains(h.Logs, l => l.Contains("A 200 answer to agent odd was passed on unchanged but not metered: " + reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_meter_that_throws_is_counted_and_logged_and_the_client_still_gets_the_bytes_unchanged()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var request = Messages("/v1/messages", "bad-gzip");
        using var response = await h.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.Equal(FakeUpstream.GarbageJson, Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync())); // not decoded, not changed

        Assert.Empty(await h.RecordsAsync());
        Assert.Equal(1, h.Server.ProxyStats!.MeterFailures);
        Assert.Contains(h.Logs, static l => l.Contains("Metering a response failed (the response was passed on untouched; 1 failures so far)", StringComparison.Ordinal));
    }

    internal static async Task<Core.Usage.UsageRecord> WaitForRecordAsync(ProxyHarness h, string key)
    {
        for (var i = 0; i < 300; i++)
        {
            var found = (await h.RecordsAsync()).FirstOrDefault(r => r.Key == key);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"no record {key} after 30 s");
    }
}
