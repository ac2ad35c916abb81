using System.Text.Json;
using Tally.Server.Tests.Harness;

namespace Tally.Server.Tests.Api;

/// <summary><c>/api/admin/*</c> and <c>/api/reconcile</c>: UTC days from the store only, and a clear empty document before any sync.</summary>
public class BilledTests
{
    [Fact]
    public async Task Before_any_admin_sync_each_billed_endpoint_answers_an_empty_document_that_says_so()
    {
        await using var server = await ServerHarness.SampleAsync();

        foreach (var (path, rows) in new[] { ("/api/admin/costs", "costs"), ("/api/admin/usage", "usage"), ("/api/admin/claude-code", "claudeCode") })
        {
            var document = await server.GetJsonAsync(path);
            Assert.Equal(0, document.GetProperty(rows).GetArrayLength());
            Assert.Contains("`tally admin sync` fetches", Assert.Single(document.GetProperty("notes").EnumerateArray()).GetString(), StringComparison.Ordinal);
            Assert.Equal("2026-10-22", document.GetProperty("since").GetString());
            Assert.Equal("2026-11-20", document.GetProperty("until").GetString());
        }

        var reconcile = await server.GetJsonAsync("/api/reconcile?start_date=2026-11-18&end_date=2026-11-19");
        Assert.Contains(reconcile.GetProperty("notes").EnumerateArray(), static n => n.GetString() == "No Admin API data is stored; `tally admin sync` fetches it.");
        Assert.All(reconcile.GetProperty("reconciliation").EnumerateArray(), static r => Assert.Equal(0, r.GetProperty("adminTokens").GetInt64()));
    }

    [Fact]
    public async Task Seeded_rows_are_summed_per_segment_and_the_window_is_utc_days()
    {
        await using var server = await ServerHarness.SampleAsync(data: static d => d with { Zone = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland") });
        await BilledSeed.SeedAsync(server.IndexFile);

        var usage = await server.GetJsonAsync("/api/admin/usage?group_by=segment&start_date=2026-11-18&end_date=2026-11-19");
        var tokens = usage.GetProperty("usage").EnumerateArray().ToDictionary(static r => r.GetProperty("key").GetString()!, static r => r.GetProperty("totalTokens").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["api"] = 22_866 + 32_000, ["claude-code"] = 1_245_000, ["console"] = 6_000 }, tokens);
        Assert.Equal(22_866L + 32_000 + 1_245_000 + 6_000, usage.GetProperty("totals").GetProperty("totalTokens").GetInt64());

        var oneDay = await server.GetJsonAsync("/api/admin/costs?group_by=model&start_date=2026-11-19&end_date=2026-11-19");
        Assert.Equal(0.015m + 1.2m + 0.03m, oneDay.GetProperty("totals").GetProperty("costUsd").GetDecimal());
        Assert.Contains(oneDay.GetProperty("costs").EnumerateArray(), static r => r.GetProperty("key").GetString() == "(web_search)");

        var people = await server.GetJsonAsync("/api/admin/claude-code?start_date=2026-11-18&end_date=2026-11-19");
        var ana = people.GetProperty("claudeCode").EnumerateArray().Single(static r => r.GetProperty("key").GetString() == "ana@example.com");
        Assert.Equal((4L, 0.85m, 1.93m), (ana.GetProperty("sessions").GetInt64(), ana.GetProperty("toolAcceptRate").GetDecimal(), ana.GetProperty("estimatedCostUsd").GetDecimal()));
        Assert.Equal(JsonValueKind.Null, people.GetProperty("claudeCode").EnumerateArray().Single(static r => r.GetProperty("key").GetString() == "ci-bot").GetProperty("toolAcceptRate").ValueKind);
    }
}
