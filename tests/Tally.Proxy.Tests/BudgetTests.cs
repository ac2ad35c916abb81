using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Tally.Core.Agents;
using Tally.Core.Budgets;
using Tally.Proxy.Tests.Harness;

namespace Tally.Proxy.Tests;

/// <summary>Budgets enforced end to end: each test spends past a $0.01 day budget with one call (about $0.014), then
/// sends the next.</summary>
public sealed class BudgetTests
{
    private const string OAuthToken = "sk-ant-oat01-BUDGETTESTtoken0123456789";

    private static HttpRequestMessage Call(string scenario = "stream")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/agents/spender/v1/messages")
        {
            Content = new StringContent("""{"model":"claude-sonnet-4-5","max_tokens":64,"stream":true,"messages":[]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OAuthToken);
        request.Headers.TryAddWithoutValidation("x-test-scenario", scenario);
        return request;
    }

    private static Task<ProxyHarness> StartAsync(BudgetAction action, TimeSpan? pauseWait = null) => ProxyHarness.StartAsync(p => p with
    {
        Budgets = new ProxyBudgets([new Budget { Name = "daily-cap", Scope = BudgetScope.Day, Period = BudgetPeriod.Day, Limit = 0.01m, Action = action }], new BudgetSettings { Zone = TimeZoneInfo.Utc }),
        BudgetCacheTime = TimeSpan.Zero,
        PauseWait = pauseWait ?? TimeSpan.FromSeconds(60),
        PausePoll = TimeSpan.FromMilliseconds(50),
    });

    private static async Task SpendAsync(ProxyHarness h)
    {
        using var request = Call();
        using var response = await h.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.ReadAsStringAsync();
        await h.DrainAsync();
    }

    [Fact]
    public async Task Stop_refuses_at_once_with_an_anthropic_error_naming_the_budget_the_spend_and_the_reset()
    {
        await using var h = await StartAsync(BudgetAction.Stop);
        await SpendAsync(h);

        using var request = Call();
        using var response = await h.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("""{"type":"error","error":{"type":"rate_limit_error","message":"Tally budget \u0022daily-cap\u0022""", body, StringComparison.Ordinal);
        Assert.Contains("of $0.01", body, StringComparison.Ordinal);
        Assert.Contains("resets at", body, StringComparison.Ordinal);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Single(h.Upstream.Requests); // the refused request never left
        Assert.Equal(1, h.Server.ProxyStats!.RefusedByBudget);
    }

    [Fact]
    public async Task Warn_forwards_and_logs()
    {
        await using var h = await StartAsync(BudgetAction.Warn);
        await SpendAsync(h);
        await SpendAsync(h);
        Assert.Equal(2, h.Upstream.Requests.Count);
        Assert.Contains(h.Logs, static l => l.Contains("Budget daily-cap is over its limit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Warn_sends_its_alert_through_the_alert_channels_once_per_window_not_per_request()
    {
        await using var hook = await Tally.Alerts.Tests.HookReceiver.StartAsync();
        using var http = new HttpClient();
        var budgets = new ProxyBudgets([new Budget { Name = "daily-cap", Scope = BudgetScope.Day, Period = BudgetPeriod.Day, Limit = 0.01m, Action = BudgetAction.Warn }], new BudgetSettings { Zone = TimeZoneInfo.Utc });
        await using var h = await ProxyHarness.StartAsync(
            p => p with { BudgetCacheTime = TimeSpan.Zero },
            withStore: (p, store) =>
            {
                var webhook = new Tally.Alerts.WebhookChannel(http, new Tally.Alerts.WebhookOptions { Url = new Uri(hook.BaseUrl, "/hook") }, TimeProvider.System);
                var monitor = new BudgetMonitor(store, TimeProvider.System, budgets.Settings, new Tally.Core.Alerts.AlertDispatcher(store, [webhook], TimeProvider.System));
                return p with { Budgets = budgets with { Alerts = monitor } };
            });

        await SpendAsync(h); // under the limit when checked: no alert
        Assert.Empty(hook.Requests);
        for (var i = 0; i < 3; i++)
        {
            await SpendAsync(h); // over it: forwarded, and alerted the first time only
        }

        Assert.Equal(4, h.Upstream.Requests.Count);
        var delivered = await WaitForAsync(() => hook.Requests.Count > 0 ? hook.Requests.ToArray() : null);
        var alert = System.Text.Json.JsonDocument.Parse(Assert.Single(delivered).Body).RootElement;
        Assert.Contains("daily-cap", alert.ToString(), StringComparison.Ordinal);

        var stored = await h.Store.AlertsAsync(null, null, CancellationToken.None);
        var sent = Assert.Single(stored, static a => a.Suppressed is null);
        Assert.Equal("daily-cap", sent.Budget!.Name);
        Assert.Equal(100m, sent.Threshold);
        Assert.Contains(h.Logs, static l => l.Contains("Alert raised:", StringComparison.Ordinal));
        Assert.Single(hook.Requests); // three requests over the limit, one alert
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe)
        where T : class
    {
        for (var i = 0; i < 300; i++)
        {
            if (probe() is { } found)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException("nothing arrived in 30 s");
    }

    [Fact]
    public async Task Pause_holds_the_request_until_the_budget_is_resumed_through_the_api()
    {
        await using var h = await StartAsync(BudgetAction.Pause);
        await SpendAsync(h);

        using var held = Call();
        var pending = h.Client.SendAsync(held);
        while (h.Server.ProxyStats!.HeldByBudget == 0)
        {
            Assert.False(pending.IsCompleted, "the request was not held");
            await Task.Delay(20);
        }

        Assert.Single(h.Upstream.Requests);
        using var resume = new HttpRequestMessage(HttpMethod.Post, "/api/budgets/resume?budget=daily-cap");
        resume.Headers.TryAddWithoutValidation("X-Tally-Request", "1");
        using (var answer = await h.Client.SendAsync(resume))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Contains("\"windowStart\"", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, h.Upstream.Requests.Count);

        // Resumed for this window: the next request is not held again.
        await SpendAsync(h);
        Assert.Equal(1, h.Server.ProxyStats.HeldByBudget);
    }

    [Fact]
    public async Task Pause_that_nobody_resumes_refuses_after_its_bounded_wait()
    {
        await using var h = await StartAsync(BudgetAction.Pause, pauseWait: TimeSpan.FromMilliseconds(200));
        await SpendAsync(h);
        using var request = Call();
        using var response = await h.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Contains("tally budget resume daily-cap", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(h.Upstream.Requests);
    }

    [Fact]
    public async Task Resuming_an_unknown_budget_is_a_404_problem()
    {
        await using var h = await StartAsync(BudgetAction.Pause);
        using var resume = new HttpRequestMessage(HttpMethod.Post, "/api/budgets/resume?budget=nope");
        resume.Headers.TryAddWithoutValidation("X-Tally-Request", "1");
        using var answer = await h.Client.SendAsync(resume);
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
    }

    [Fact]
    public async Task A_subscription_refused_for_quota_is_retried_once_with_the_configured_api_key_and_the_record_says_so()
    {
        const string fallback = "sk-ant-api03-FALLBACKkey0123456789abcdef";
        await using var h = await ProxyHarness.StartAsync(p => p with { FallbackApiKey = fallback });
        using var request = Call("quota-unless-key");
        using var response = await h.Client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, string.Join("\n", h.Logs.Where(static l => l.StartsWith("Error", StringComparison.Ordinal))));
        await response.Content.ReadAsStringAsync();

        var sent = h.Upstream.Requests.ToArray();
        Assert.Equal(2, sent.Length);
        Assert.Equal("Bearer " + OAuthToken, sent[0].Headers["authorization"]);
        Assert.Equal(fallback, sent[1].Headers["x-api-key"]);
        Assert.False(sent[1].Headers.ContainsKey("authorization"));
        Assert.Equal(sent[0].Body, sent[1].Body);

        var record = Assert.Single(await h.RecordsAsync());
        Assert.True(record.Proxy!.ApiKeyFallback);
        Assert.Equal(BillingSource.Api, record.Proxy.Billing);
        Assert.Equal(1, h.Server.ProxyStats!.Fallbacks);
    }
}
