using System.Net;
using System.Text.Json;
using Tally.Server.Tests.Harness;

namespace Tally.Server.Tests.Api;

/// <summary>Every bad parameter is an RFC 9457 problem that names it.</summary>
public class ProblemTests(DemoServer fixture) : IClassFixture<DemoServer>
{
    private readonly ServerHarness _server = fixture.Server;

    [Theory]
    [InlineData("/api/costs?start_date=yesterday", "start_date")]
    [InlineData("/api/costs?end_date=2026-02-30", "end_date")]
    [InlineData("/api/costs?start_date=2026-11-10&end_date=2026-11-01", "start_date")]
    [InlineData("/api/costs?start_date=0001-01-01", "start_date")]
    [InlineData("/api/costs?timezone=Mars/Olympus", "timezone")]
    [InlineData("/api/costs?timezone=../../etc/passwd", "timezone")]
    [InlineData("/api/costs?source=everything", "source")]
    [InlineData("/api/costs?execution_mode=edge", "execution_mode")]
    [InlineData("/api/costs?cost_mode=guess", "cost_mode")]
    [InlineData("/api/costs?group_by=week", "group_by")]
    [InlineData("/api/costs?compare=next", "compare")]
    [InlineData("/api/costs?group_by=model&group_by=day", "group_by")]
    [InlineData("/api/costs?start=2026-11-01", "start")]
    [InlineData("/api/costs?project=a%00b", "project")]
    [InlineData("/api/costs/projects?group_by=model", "group_by")]
    [InlineData("/api/stats?group_by=year", "group_by")]
    [InlineData("/api/stats/sessions?limit=0", "limit")]
    [InlineData("/api/stats/sessions?limit=1001", "limit")]
    [InlineData("/api/stats/sessions?limit=ten", "limit")]
    [InlineData("/api/stats/sessions?offset=-1", "offset")]
    [InlineData("/api/stats/sessions?sort=name", "sort")]
    [InlineData("/api/stats/sessions?order=up", "order")]
    [InlineData("/api/stats/tools?models=a&x=1", "x")]
    [InlineData("/api/agents?active=maybe", "active")]
    [InlineData("/api/agents?active_minutes=0", "active_minutes")]
    [InlineData("/api/agents?changes=2", "changes")]
    [InlineData("/api/export?format=xml", "format")]
    [InlineData("/api/export?what=everything", "what")]
    [InlineData("/api/export?breakdown=true", "breakdown")]
    [InlineData("/api/events?since=1", "since")]
    [InlineData("/api/costs/rate-limits?model=x", "model")]
    [InlineData("/api/admin/costs?group_by=api-key", "group_by")]
    [InlineData("/api/admin/costs?start_date=2026-11-20&end_date=2026-11-18", "start_date")]
    [InlineData("/api/admin/costs?start_date=2026-11-21", "start_date")]
    [InlineData("/api/admin/costs?timezone=UTC", "timezone")]
    [InlineData("/api/admin/usage?end_date=2026-02-30", "end_date")]
    [InlineData("/api/admin/usage?group_by=token-type", "group_by")]
    [InlineData("/api/admin/claude-code?group_by=model", "group_by")]
    [InlineData("/api/admin/claude-code?start_date=9999-01-01", "start_date")]
    [InlineData("/api/reconcile?tolerance=-1", "tolerance")]
    [InlineData("/api/reconcile?tolerance=101", "tolerance")]
    [InlineData("/api/reconcile?tolerance=1e3", "tolerance")]
    [InlineData("/api/reconcile?tolerance=NaN", "tolerance")]
    [InlineData("/api/reconcile?start_date=2026-11-19&end_date=2026-11-18", "start_date")]
    [InlineData("/api/reconcile?group_by=day", "group_by")]
    public async Task A_bad_parameter_is_a_400_problem_naming_it(string url, string parameter)
    {
        using var response = await _server.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = problem.RootElement;
        Assert.Equal(400, root.GetProperty("status").GetInt32());
        Assert.Equal("Bad Request", root.GetProperty("title").GetString());
        Assert.Contains($"\"{parameter}\"", root.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("errors").TryGetProperty(parameter, out var messages), root.ToString());
        Assert.NotEmpty(messages.EnumerateArray());
    }

    [Fact]
    public async Task Every_bad_parameter_of_a_request_is_named_at_once()
    {
        var problem = await _server.GetJsonAsync("/api/stats/sessions?limit=0&sort=x&start_date=nope&mystery=1", 400);

        Assert.Equal(["limit", "mystery", "sort", "start_date"], problem.GetProperty("errors").EnumerateObject().Select(static e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_unknown_path_and_a_wrong_method_are_problems_too()
    {
        var missing = await _server.GetJsonAsync("/api/nothing-here", 404);
        Assert.Equal(404, missing.GetProperty("status").GetInt32());

        using var response = await _server.Client.DeleteAsync("/api/costs");
        Assert.True(response.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.Forbidden, response.StatusCode.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
