using System.Text;
using Anthropic;
using Anthropic.Models.Messages;
using Tally.Core.Agents;
using Tally.Core.Pricing;
using Tally.Ingest.ClaudeCode;
using Tally.Ingest.Sync;
using Tally.Proxy.Tests.Harness;

namespace Tally.Proxy.Tests;

public sealed class SdkAndSecretsTests
{
    private const string ApiKey = "sk-ant-api03-SDKSECRETKEYquux0123456789XYZZYsecret";
    private const string OAuthToken = "sk-ant-oat01-SDKOAUTHTOKENgrault9876543210PLUGHsecret";

    private static MessageCreateParams Params() => new()
    {
        Model = "claude-sonnet-4-5",
        MaxTokens = 64,
        Messages = [new UserMessageParam("hi")],
    };

    private static AnthropicClient Sdk(ProxyHarness h, string agent, string scenario, string id, bool oauth)
    {
        // Only the credential in use is set: the SDK sends an x-api-key, or an OAuth bearer token.
        var baseUrl = new Uri(h.Address, $"/agents/{agent}").ToString();
        var http = new HttpClient(new ScenarioHeaders(scenario, id));
        return oauth
            ? new AnthropicClient { BaseUrl = baseUrl, AuthToken = OAuthToken, MaxRetries = 0, HttpClient = http }
            : new AnthropicClient { BaseUrl = baseUrl, ApiKey = ApiKey, MaxRetries = 0, HttpClient = http };
    }

    /// <summary>Tells the fake upstream what to answer (the headers pass through the proxy like any other).</summary>
    private sealed class ScenarioHeaders(string scenario, string id) : DelegatingHandler(new HttpClientHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("x-test-scenario", scenario);
            request.Headers.TryAddWithoutValidation("x-test-message-id", id);
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task The_official_sdk_makes_non_streamed_and_streamed_calls_through_the_proxy_and_each_is_one_record()
    {
        await using var h = await ProxyHarness.StartAsync();
        var client = Sdk(h, "sdk-json", "json", "msg_sdk_json", oauth: false);
        var message = await client.Messages.Create(Params());
        Assert.Equal("msg_sdk_json", message.ID);
        Assert.Equal(34, message.Usage.OutputTokens);

        var streaming = Sdk(h, "sdk-stream", "stream", "msg_sdk_stream", oauth: true);
        long output = 0;
        var events = 0;
        await foreach (var e in streaming.Messages.CreateStreaming(Params()))
        {
            events++;
            if (e.TryPickDelta(out var delta))
            {
                output = delta.Usage.OutputTokens;
            }
        }

        Assert.Equal(510, output);
        Assert.True(events >= 6);

        var records = (await h.RecordsAsync()).ToDictionary(static r => r.Key, StringComparer.Ordinal);
        Assert.Equal(2, records.Count);
        // The official C# SDK sends even an API key as `Authorization: Bearer sk-ant-api…`: the key's prefix, not the
        // header, tells API billing from an OAuth (subscription) token.
        Assert.StartsWith("Bearer sk-ant-api03-", h.Upstream.Requests.First(static r => r.Headers["x-test-scenario"] == "json").Headers["authorization"], StringComparison.Ordinal);
        Assert.Equal(("sdk-json", BillingSource.Api, 34L), (records["m:msg_sdk_json"].Proxy!.Agent, records["m:msg_sdk_json"].Proxy!.Billing, records["m:msg_sdk_json"].Tokens.Output));
        Assert.Equal(("sdk-stream", BillingSource.Subscription, 510L), (records["m:msg_sdk_stream"].Proxy!.Agent, records["m:msg_sdk_stream"].Proxy!.Billing, records["m:msg_sdk_stream"].Tokens.Output));
        Assert.All(h.Upstream.Requests, static r => Assert.Equal("/v1/messages", r.PathAndQuery));
    }

    [Fact]
    public async Task Key_material_never_reaches_the_index_file_its_wal_or_the_logs()
    {
        await using var h = await ProxyHarness.StartAsync();
        foreach (var (scenario, oauth) in new[] { ("json", false), ("stream", true), ("429", true), ("529", false), ("error-after-200", true) })
        {
            var client = Sdk(h, "secrets", scenario, "msg_secret_" + scenario, oauth);
            try
            {
                if (scenario == "stream" || scenario == "error-after-200")
                {
                    await foreach (var _ in client.Messages.CreateStreaming(Params()))
                    {
                    }
                }
                else
                {
                    await client.Messages.Create(Params());
                }
            }
#pragma warning disable CA1031 // the SDK's exception for each refusal differs; any is expected here
            catch (Exception)
#pragma warning restore CA1031
            {
                // the refusals and the error event: expected
            }
        }

        var records = await h.RecordsAsync();
        Assert.True(records.Count >= 3);
        Assert.Contains(h.Logs, static l => l.Contains("refused", StringComparison.Ordinal)); // something was logged

        string[] secrets = [ApiKey, OAuthToken, "SDKSECRETKEY", "SDKOAUTHTOKEN"];
        foreach (var file in Directory.EnumerateFiles(h.Root, "index.db*"))
        {
            var bytes = await ReadSharedAsync(file);
            foreach (var secret in secrets)
            {
                Assert.True(IndexOf(bytes, Encoding.UTF8.GetBytes(secret)) < 0, $"{secret} found in {Path.GetFileName(file)}");
                Assert.True(IndexOf(bytes, Encoding.Unicode.GetBytes(secret)) < 0, $"{secret} (UTF-16) found in {Path.GetFileName(file)}");
            }
        }

        Assert.True(File.Exists(h.IndexFile + "-wal"));
        foreach (var line in h.Logs)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_call_seen_by_the_proxy_and_the_transcript_is_one_record_with_both_sources_details()
    {
        await using var h = await ProxyHarness.StartAsync();
        var client = Sdk(h, "dedupe", "stream", "msg_both", oauth: true);
        await foreach (var _ in client.Messages.CreateStreaming(Params()))
        {
        }

        await h.DrainAsync();

        // Claude Code's transcript of the same call (same message id, later line), synced afterwards.
        var claude = Path.Combine(h.Root, "claude", "projects", "-work-app");
        Directory.CreateDirectory(claude);
        var line = $$$$"""{"type":"assistant","uuid":"u-1","sessionId":"sess-9","cwd":"/work/app","gitBranch":"main","timestamp":"2099-01-01T00:00:05Z","version":"2.1.0","requestId":"req_msg_both","message":{"id":"msg_both","type":"message","role":"assistant","model":"{{{{FakeUpstream.Model}}}}","content":[{"type":"text","text":"Hello there"}],"usage":{"input_tokens":3,"cache_creation_input_tokens":100,"cache_read_input_tokens":20012,"cache_creation":{"ephemeral_5m_input_tokens":100,"ephemeral_1h_input_tokens":0},"output_tokens":510,"service_tier":"standard"}}}""";
        await File.WriteAllTextAsync(Path.Combine(claude, "sess-9.jsonl"), line + "\n");
        await new TranscriptSync(h.Store, PriceCatalog.Embedded, new ProjectResolver()).RunAsync(ClaudeDataLocator.Discover([Path.Combine(h.Root, "claude")]).Files, null, CancellationToken.None);

        var record = Assert.Single(await h.RecordsAsync());
        Assert.Equal("m:msg_both", record.Key);
        Assert.Equal("/work/app", record.Cwd); // from the transcript
        Assert.Equal("sess-9", record.SessionId);
        Assert.Equal("dedupe", record.Proxy!.Agent); // from the proxy
        Assert.Equal(BillingSource.Subscription, record.Proxy.Billing);
        Assert.Equal(510, record.Tokens.Output);
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
