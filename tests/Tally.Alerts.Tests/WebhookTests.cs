using System.Text.Json;
using Tally.Core.Alerts;
using Tally.Core.Budgets;

namespace Tally.Alerts.Tests;

public class WebhookTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 29, 12, 0, 0, TimeSpan.Zero);

    private static readonly Alert Limit = new()
    {
        Id = 42,
        Key = "budget|daily|usd20|-|t100|1774738800000",
        Kind = AlertKind.Threshold,
        RaisedAt = Now,
        Message = "Budget daily: limit of $20.00 per day reached ($20.50 on 2026-03-29); action: pause.",
        Budget = new Budget { Name = "daily", Scope = BudgetScope.Day, Period = BudgetPeriod.Day, Limit = 20m, Action = BudgetAction.Pause },
        Threshold = 100m,
        Used = 20.5m,
        BurnPerHour = 3.25m,
        Window = new BudgetWindow(new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 29, 22, 0, 0, TimeSpan.Zero)),
    };

    private sealed class Waits
    {
        public List<TimeSpan> Asked { get; } = [];
    }

    /// <summary>A channel whose waits are recorded and advance <paramref name="clock"/> at once (no real sleeping).</summary>
    private static WebhookChannel Channel(HttpClient http, Uri url, TestClock clock, Waits waits, WebhookOptions? options = null, double random = 0.5) =>
        new(
            http,
            (options ?? new WebhookOptions { Url = url }) with { Url = url },
            clock,
            random: () => random,
            delay: (wait, _) =>
            {
                waits.Asked.Add(wait);
                clock.Now += wait;
                return Task.CompletedTask;
            },
            host: "test-host");

    [Fact]
    public async Task The_payload_is_the_alert_as_documented_json()
    {
        await using var receiver = await HookReceiver.StartAsync();
        using var http = new HttpClient();
        var delivery = await Channel(http, receiver.SecretUrl, new TestClock(Now), new Waits()).DeliverAsync(Limit, CancellationToken.None);

        Assert.Equal(new AlertDelivery("webhook", DeliveryOutcome.Sent, 1, null, Now), delivery);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/services/T000/B000/SECRETPART?token=hunter2", request.PathAndQuery);
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        Assert.StartsWith("Tally/", request.UserAgent, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal(
            ["text", "schemaVersion", "host", "id", "key", "kind", "raisedAt", "message", "budget", "subject", "threshold", "used", "percent", "burnPerHour", "window", "projectedAt", "action", "rateLimit", "suppressed"],
            root.EnumerateObject().Select(static p => p.Name));
        Assert.Equal("Tally: " + Limit.Message, root.GetProperty("text").GetString());
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("test-host", root.GetProperty("host").GetString());
        Assert.Equal(42, root.GetProperty("id").GetInt64());
        Assert.Equal(Limit.Key, root.GetProperty("key").GetString());
        Assert.Equal("threshold", root.GetProperty("kind").GetString());
        Assert.Equal("2026-03-29T12:00:00.000Z", root.GetProperty("raisedAt").GetString());
        var budget = root.GetProperty("budget");
        Assert.Equal(["name", "scope", "period", "limit", "unit", "thresholds", "action"], budget.EnumerateObject().Select(static p => p.Name));
        Assert.Equal("daily", budget.GetProperty("name").GetString());
        Assert.Equal("pause", budget.GetProperty("action").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("subject").ValueKind);
        Assert.Equal(100m, root.GetProperty("threshold").GetDecimal());
        Assert.Equal(20.5m, root.GetProperty("used").GetDecimal());
        Assert.Equal("102.5", root.GetProperty("percent").GetRawText());
        Assert.Equal(3.25m, root.GetProperty("burnPerHour").GetDecimal());
        Assert.Equal("2026-03-28T23:00:00.000Z", root.GetProperty("window").GetProperty("start").GetString());
        Assert.Equal("2026-03-29T22:00:00.000Z", root.GetProperty("window").GetProperty("end").GetString());
        Assert.Equal("pause", root.GetProperty("action").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("rateLimit").ValueKind);
    }

    [Fact]
    public async Task A_rate_limit_alert_carries_the_hit()
    {
        await using var receiver = await HookReceiver.StartAsync();
        using var http = new HttpClient();
        var hit = new RateLimitHit { Source = RateLimitSource.Http429, Window = "weekly", ObservedAt = Now, ResetsAt = Now.AddDays(2), Subject = "agent fix-auth" };
        var alert = new Alert { Id = 7, Key = "rate-limit|weekly|1", Kind = AlertKind.RateLimit, RaisedAt = Now, Message = "Rate limit hit.", RateLimit = hit, Subject = hit.Subject };
        await Channel(http, receiver.BaseUrl, new TestClock(Now), new Waits()).DeliverAsync(alert, CancellationToken.None);

        using var json = JsonDocument.Parse(Assert.Single(receiver.Requests).Body);
        var limit = json.RootElement.GetProperty("rateLimit");
        Assert.Equal("rate-limit", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("budget").ValueKind);
        Assert.Equal("http-429", limit.GetProperty("source").GetString());
        Assert.Equal("weekly", limit.GetProperty("window").GetString());
        Assert.Equal("2026-03-31T12:00:00.000Z", limit.GetProperty("resetsAt").GetString());
        Assert.Equal("agent fix-auth", json.RootElement.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task A_500_is_retried_with_growing_jittered_waits_until_it_succeeds()
    {
        await using var receiver = await HookReceiver.StartAsync(500, 503, 500);
        using var http = new HttpClient();
        var clock = new TestClock(Now);
        var waits = new Waits();
        var delivery = await Channel(http, receiver.BaseUrl, clock, waits).DeliverAsync(Limit, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, delivery.Outcome);
        Assert.Equal(4, delivery.Attempts);
        Assert.Equal(4, receiver.Requests.Count);
        Assert.All(receiver.Requests, r => Assert.Equal(receiver.Requests.First().Body, r.Body));

        // Base 500 ms doubling; with the jitter at 0.5, each wait is three quarters of its nominal value.
        Assert.Equal([TimeSpan.FromMilliseconds(375), TimeSpan.FromMilliseconds(750), TimeSpan.FromMilliseconds(1500)], waits.Asked);
    }

    [Fact]
    public async Task It_gives_up_after_the_attempt_bound_without_naming_the_secret_url()
    {
        await using var receiver = await HookReceiver.StartAsync(500, 500, 500, 500, 500);
        using var http = new HttpClient();
        var waits = new Waits();
        var delivery = await Channel(http, receiver.SecretUrl, new TestClock(Now), waits, new WebhookOptions { Url = receiver.SecretUrl, MaxAttempts = 3 }).DeliverAsync(Limit, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Failed, delivery.Outcome);
        Assert.Equal(3, delivery.Attempts);
        Assert.Equal(3, receiver.Requests.Count);
        Assert.Equal(2, waits.Asked.Count);
        Assert.Equal($"gave up after 3 attempts: 127.0.0.1:{receiver.BaseUrl.Port} answered HTTP 500", delivery.Detail);
        Assert.DoesNotContain("SECRET", delivery.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", delivery.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_gives_up_when_the_next_wait_would_pass_the_time_bound()
    {
        await using var receiver = await HookReceiver.StartAsync(Enumerable.Repeat(500, 20).ToArray());
        using var http = new HttpClient();
        var clock = new TestClock(Now);
        var waits = new Waits();
        var options = new WebhookOptions { Url = receiver.BaseUrl, MaxAttempts = 20, MaxTime = TimeSpan.FromSeconds(2), BaseDelay = TimeSpan.FromMilliseconds(500) };
        var delivery = await Channel(http, receiver.BaseUrl, clock, waits, options, random: 1.0).DeliverAsync(Limit, CancellationToken.None);

        // Waits of 0.5 s and 1 s fit in 2 s; the next (2 s) would not.
        Assert.Equal([TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)], waits.Asked);
        Assert.Equal(3, receiver.Requests.Count);
        Assert.Equal(DeliveryOutcome.Failed, delivery.Outcome);
        Assert.StartsWith("gave up after 3 attempts (2 s bound)", delivery.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_error_is_final()
    {
        await using var receiver = await HookReceiver.StartAsync(404);
        using var http = new HttpClient();
        var delivery = await Channel(http, receiver.BaseUrl, new TestClock(Now), new Waits()).DeliverAsync(Limit, CancellationToken.None);
        Assert.Equal(DeliveryOutcome.Failed, delivery.Outcome);
        Assert.Equal(1, delivery.Attempts);
        Assert.EndsWith("answered HTTP 404 (not retried)", delivery.Detail, StringComparison.Ordinal);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task A_429_waits_as_long_as_retry_after_asks_within_the_longest_wait()
    {
        await using var receiver = await HookReceiver.StartAsync(429, 429);
        receiver.RetryAfterSeconds = 3;
        using var http = new HttpClient();
        var waits = new Waits();
        var options = new WebhookOptions { Url = receiver.BaseUrl, MaxTime = TimeSpan.FromSeconds(30), MaxDelay = TimeSpan.FromSeconds(2) };
        var delivery = await Channel(http, receiver.BaseUrl, new TestClock(Now), waits, options).DeliverAsync(Limit, CancellationToken.None);
        Assert.Equal(DeliveryOutcome.Sent, delivery.Outcome);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)], waits.Asked);
    }

    [Fact]
    public async Task A_receiver_that_does_not_answer_times_out_each_attempt()
    {
        await using var receiver = await HookReceiver.StartAsync();
        receiver.Hang = true;
        using var http = new HttpClient();
        var options = new WebhookOptions { Url = receiver.BaseUrl, MaxAttempts = 2, AttemptTimeout = TimeSpan.FromMilliseconds(200) };
        var delivery = await Channel(http, receiver.BaseUrl, new TestClock(Now), new Waits(), options).DeliverAsync(Limit, CancellationToken.None);
        Assert.Equal(DeliveryOutcome.Failed, delivery.Outcome);
        Assert.Equal(2, delivery.Attempts);
        Assert.EndsWith("did not answer within 0.2 s", delivery.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receiver_that_is_not_there_is_a_failure_said_without_the_url()
    {
        Uri gone;
        await using (var receiver = await HookReceiver.StartAsync())
        {
            gone = receiver.SecretUrl;
        }

        using var http = new HttpClient();
        var delivery = await Channel(http, gone, new TestClock(Now), new Waits(), new WebhookOptions { Url = gone, MaxAttempts = 2 }).DeliverAsync(Limit, CancellationToken.None);
        Assert.Equal(DeliveryOutcome.Failed, delivery.Outcome);
        Assert.Equal($"gave up after 2 attempts: 127.0.0.1:{gone.Port} could not be reached (ConnectionError)", delivery.Detail);
    }

    [Theory]
    [InlineData(1, 0.0, 250)]
    [InlineData(1, 1.0, 500)]
    [InlineData(3, 0.0, 1000)]
    [InlineData(3, 1.0, 2000)]
    [InlineData(6, 0.0, 2000)] // nominal 16 s, capped at 4 s
    [InlineData(6, 1.0, 4000)]
    [InlineData(60, 0.5, 3000)]
    public void Backoff_doubles_from_the_base_with_half_of_it_jittered_and_is_capped(int retry, double random, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Backoff.Delay(retry, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(4), random));
    }
}
