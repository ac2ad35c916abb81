using System.Net;
using System.Text.Json;
using Tally.Server.Tests.Harness;

namespace Tally.Server.Tests.Api;

/// <summary>Rate-limit headroom from readings, and the dashboard's embedded files.</summary>
public class RateLimitsAndPagesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 17, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Without_signals_the_lists_are_empty()
    {
        await using var server = await ServerHarness.SampleAsync();
        var limits = await server.GetJsonAsync("/api/costs/rate-limits");

        Assert.Equal(JsonValueKind.Null, limits.GetProperty("observedAt").ValueKind);
        Assert.Empty(limits.GetProperty("models").EnumerateArray());
        Assert.Empty(limits.GetProperty("accounts").EnumerateArray());
    }

    [Fact]
    public async Task The_most_restrictive_reading_per_model_and_account_is_shown_with_its_time_and_signal()
    {
        var readings = new Readings(
            Reading("claude-opus-4-1", "requests", 1000, 900, At),
            Reading("claude-opus-4-1", "output_tokens", 80_000, 8_000, At.AddMinutes(-3)),
            Reading("claude-sonnet-4-5", "input_tokens", 400_000, 300_000, At.AddMinutes(-1)),
            new RateLimitObservation { Account = true, Subject = "max-plan", Limit = "5h", Utilization = 0.67m, ResetsAt = At.AddHours(2), ObservedAt = At.AddMinutes(-10), Signal = "statusline" },
            new RateLimitObservation { Account = true, Subject = "max-plan", Limit = "7d", Utilization = 0.2m, ObservedAt = At, Signal = "statusline" });
        await using var server = await ServerHarness.SampleAsync(data: d => d with { RateLimits = readings });

        var limits = await server.GetJsonAsync("/api/costs/rate-limits");

        Assert.Equal(At, limits.GetProperty("observedAt").GetDateTimeOffset());
        var models = limits.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["claude-opus-4-1", "claude-sonnet-4-5"], models.Select(static m => m.GetProperty("model").GetString()));
        Assert.Equal(("output_tokens", 0.1m, 8000L), (models[0].GetProperty("limit").GetString(), models[0].GetProperty("headroom").GetDecimal(), models[0].GetProperty("remaining").GetInt64()));
        Assert.Equal(At.AddMinutes(-3), models[0].GetProperty("observedAt").GetDateTimeOffset());
        var account = Assert.Single(limits.GetProperty("accounts").EnumerateArray());
        Assert.Equal(("5h", 0.33m, "statusline"), (account.GetProperty("limit").GetString(), account.GetProperty("headroom").GetDecimal(), account.GetProperty("signal").GetString()));
        Assert.Equal(["proxy", "statusline"], limits.GetProperty("signals").EnumerateArray().Select(static s => s.GetString()));
    }

    [Fact]
    public async Task The_page_is_served_from_the_assembly_with_a_strict_policy_and_revalidation()
    {
        await using var server = await ServerHarness.SampleAsync();

        using var page = await server.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/index.html");
        again.Headers.TryAddWithoutValidation("If-None-Match", page.Headers.ETag!.Tag);
        using var cached = await server.Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);

        var missing = await server.GetJsonAsync("/assets/nothing.js", 404);
        Assert.Equal(404, missing.GetProperty("status").GetInt32());
    }

    private static RateLimitObservation Reading(string model, string limit, long maximum, long remaining, DateTimeOffset at) =>
        new() { Subject = model, Limit = limit, Maximum = maximum, Remaining = remaining, ObservedAt = at, Signal = "proxy" };

    private sealed class Readings(params RateLimitObservation[] readings) : IRateLimitSignals
    {
        public Task<IReadOnlyList<RateLimitObservation>> ReadAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<RateLimitObservation>>(readings);
    }
}
