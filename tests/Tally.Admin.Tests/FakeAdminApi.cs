using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tally.Admin.Tests;

/// <summary>
/// A fake Anthropic Admin API on real Kestrel at 127.0.0.1 (a free port) serving the documented shapes from an in-memory
/// organization: usage (grouped by whatever is asked, 1-hour or 1-day buckets, empty buckets as <c>results: []</c>, paged by
/// <c>limit</c> buckets), costs (amount strings in cents), Claude Code analytics, workspaces and API keys. Scripted faults
/// (a status with a body and retry-after, a malformed body, a hang) are answered first, in order.
/// </summary>
public sealed class FakeAdminApi : IAsyncDisposable
{
    /// <summary>The admin key the fake accepts.</summary>
    public const string Key = "sk-ant-admin01-TESTKEY-do-not-print";

    private readonly WebApplication _app;

    private FakeAdminApi(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The fake's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The organization's usage, one entry per hour and full combination of dimensions.</summary>
    public List<Usage> UsageRows { get; } = [];

    /// <summary>The organization's costs, one entry per day, workspace and description, amounts in cents as strings.</summary>
    public List<Cost> CostRows { get; } = [];

    /// <summary>Claude Code records as JSON objects, by day.</summary>
    public Dictionary<DateOnly, List<string>> ClaudeCode { get; } = [];

    /// <summary>Workspaces (id, name).</summary>
    public List<(string Id, string Name)> Workspaces { get; } = [];

    /// <summary>API keys (id, name, workspace).</summary>
    public List<(string Id, string Name, string? Workspace)> ApiKeys { get; } = [];

    /// <summary>Answers given before any normal one (consumed in order) when their path prefix matches.</summary>
    public ConcurrentQueue<Fault> Faults { get; } = new();

    /// <summary>When set, grouped usage and cost answers also carry an organization-level row (every dimension null) per
    /// non-empty bucket: the double count a pipeline makes when it stores both grains.</summary>
    public bool InjectOrgRowIntoGrouped { get; set; }

    /// <summary>When set, the usage report refuses the newer dimensions with a 400, as an older API would.</summary>
    public bool RefuseNewerDimensions { get; set; }

    /// <summary>Caps the buckets per page below what <c>limit</c> asks for (to force several pages).</summary>
    public int? PageSize { get; set; }

    /// <summary>Every request's path and query, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Starts the fake.</summary>
    public static async Task<FakeAdminApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeAdminApi? fake = null;
        app.Run(context => fake!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake = new FakeAdminApi(app, new Uri(address.TrimEnd('/') + "/"));
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Requests whose path starts with <paramref name="path"/>.</summary>
    public IReadOnlyList<string> RequestsTo(string path) => [.. Requests.Where(r => r.StartsWith(path, StringComparison.Ordinal))];

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        Requests.Enqueue(request.Path + request.QueryString);
        if (request.Headers["x-api-key"].ToString() != Key)
        {
            await Error(context, 401, "authentication_error", "invalid x-api-key");
            return;
        }

        if (request.Headers["anthropic-version"].ToString() != "2023-06-01")
        {
            await Error(context, 400, "invalid_request_error", "anthropic-version header is required");
            return;
        }

        if (Faults.TryPeek(out var fault) && request.Path.StartsWithSegments(fault.Path) && Faults.TryDequeue(out fault))
        {
            if (fault.Hang)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(static _ => { }, TaskScheduler.Default);
                return;
            }

            context.Response.StatusCode = fault.Status;
            if (fault.RetryAfter is { } after)
            {
                context.Response.Headers.RetryAfter = after;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(fault.Body);
            return;
        }

        var query = request.Query;
        var path = request.Path.Value!;
        var body = path switch
        {
            "/v1/organizations/usage_report/messages" => UsageAnswer(query),
            "/v1/organizations/cost_report" => CostAnswer(query),
            "/v1/organizations/usage_report/claude_code" => ClaudeCodeAnswer(query),
            "/v1/organizations/workspaces" => ListAnswer(Workspaces.Select(w => $$"""{"id":"{{w.Id}}","type":"workspace","name":"{{w.Name}}","created_at":"2025-01-01T00:00:00Z","archived_at":null}""")),
            "/v1/organizations/api_keys" => ListAnswer(ApiKeys.Select(k => $$"""{"id":"{{k.Id}}","type":"api_key","name":"{{k.Name}}","workspace_id":{{Json(k.Workspace)}},"status":"active","partial_key_hint":"sk-ant-api03-abc...xyz"}""")),
            _ => null,
        };
        if (body is null)
        {
            await Error(context, 404, "not_found_error", "no such endpoint");
            return;
        }

        if (body.StartsWith("ERROR400", StringComparison.Ordinal))
        {
            await Error(context, 400, "invalid_request_error", body[8..]);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    private string UsageAnswer(IQueryCollection query)
    {
        var groupBy = query["group_by[]"].Select(static g => g!).ToList();
        if (RefuseNewerDimensions && groupBy.Contains("inference_geo"))
        {
            return "ERROR400group_by[]: unknown value inference_geo";
        }

        var width = query["bucket_width"].ToString() is { Length: > 0 } w ? w : "1d";
        var step = width == "1h" ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
        return Buckets(query, step, (start, end) =>
        {
            var rows = UsageRows.Where(r => r.Hour >= start && r.Hour < end).ToList();
            var results = rows.GroupBy(r => string.Join('|', groupBy.Select(g => r.Dimension(g)))).Select(g => UsageJson(g.ToList(), groupBy)).ToList();
            if (InjectOrgRowIntoGrouped && groupBy.Count > 0 && rows.Count > 0)
            {
                results.Add(UsageJson(rows, []));
            }

            return results;
        });
    }

    private string CostAnswer(IQueryCollection query)
    {
        var groupBy = query["group_by[]"].Select(static g => g!).ToList();
        return Buckets(query, TimeSpan.FromDays(1), (start, end) =>
        {
            var rows = CostRows.Where(r => r.Day >= DateOnly.FromDateTime(start.UtcDateTime) && r.Day < DateOnly.FromDateTime(end.UtcDateTime)).ToList();
            var results = rows.GroupBy(r => (groupBy.Contains("workspace_id") ? r.Workspace : null, groupBy.Contains("description") ? r.Description : null))
                .Select(g => CostJson(g.ToList(), groupBy)).ToList();
            if (InjectOrgRowIntoGrouped && groupBy.Count > 0 && rows.Count > 0)
            {
                results.Add(CostJson(rows, []));
            }

            return results;
        });
    }

    private string ClaudeCodeAnswer(IQueryCollection query)
    {
        var day = DateOnly.ParseExact(query["starting_at"].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var records = ClaudeCode.GetValueOrDefault(day) ?? [];
        var limit = int.Parse(query["limit"].ToString() is { Length: > 0 } l ? l : "20", CultureInfo.InvariantCulture);
        limit = Math.Min(limit, PageSize ?? limit);
        var offset = query["page"].ToString() is { Length: > 0 } p ? int.Parse(p, CultureInfo.InvariantCulture) : 0;
        var page = records.Skip(offset).Take(limit).ToList();
        var more = offset + page.Count < records.Count;
        return $$"""{"data":[{{string.Join(',', page)}}],"has_more":{{(more ? "true" : "false")}},"next_page":{{(more ? Json((offset + page.Count).ToString(CultureInfo.InvariantCulture)) : "null")}}}""";
    }

    private static string ListAnswer(IEnumerable<string> items) =>
        $$"""{"data":[{{string.Join(',', items)}}],"has_more":false,"first_id":null,"last_id":null}""";

    private string Buckets(IQueryCollection query, TimeSpan step, Func<DateTimeOffset, DateTimeOffset, List<string>> results)
    {
        var start = DateTimeOffset.Parse(query["starting_at"].ToString(), CultureInfo.InvariantCulture);
        var end = DateTimeOffset.Parse(query["ending_at"].ToString(), CultureInfo.InvariantCulture);
        var limit = int.Parse(query["limit"].ToString(), CultureInfo.InvariantCulture);
        limit = Math.Min(limit, PageSize ?? limit);
        if (query["page"].ToString() is { Length: > 0 } page)
        {
            start = DateTimeOffset.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(page)), CultureInfo.InvariantCulture);
        }

        var buckets = new List<string>();
        var at = start;
        for (; at < end && buckets.Count < limit; at += step)
        {
            buckets.Add($$"""{"starting_at":"{{Time(at)}}","ending_at":"{{Time(at + step)}}","results":[{{string.Join(',', results(at, at + step))}}]}""");
        }

        var more = at < end;
        var next = more ? Json(Convert.ToBase64String(Encoding.UTF8.GetBytes(Time(at)))) : "null";
        return $$"""{"data":[{{string.Join(',', buckets)}}],"has_more":{{(more ? "true" : "false")}},"next_page":{{next}}}""";
    }

    private static string UsageJson(List<Usage> rows, List<string> groupBy)
    {
        string Dim(string name) => groupBy.Contains(name) ? Json(rows[0].Dimension(name)) : "null";
        return $$"""
            {"uncached_input_tokens":{{rows.Sum(r => r.Input)}},"cache_creation":{"ephemeral_1h_input_tokens":{{rows.Sum(r => r.Write1h)}},"ephemeral_5m_input_tokens":{{rows.Sum(r => r.Write5m)}}},
             "cache_read_input_tokens":{{rows.Sum(r => r.CacheRead)}},"output_tokens":{{rows.Sum(r => r.Output)}},"server_tool_use":{"web_search_requests":{{rows.Sum(r => r.WebSearches)}}},
             "api_key_id":{{Dim("api_key_id")}},"workspace_id":{{Dim("workspace_id")}},"model":{{Dim("model")}},"service_tier":{{Dim("service_tier")}},
             "context_window":{{Dim("context_window")}},"inference_geo":{{Dim("inference_geo")}},"account_id":null,"service_account_id":null}
            """;
    }

    private static string CostJson(List<Cost> rows, List<string> groupBy)
    {
        var amount = rows.Sum(r => decimal.Parse(r.Cents, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture);
        var byDescription = groupBy.Contains("description");
        string D(Func<Cost, string?> field) => byDescription ? Json(field(rows[0])) : "null";
        return $$"""
            {"amount":"{{amount}}","currency":"USD","description":{{D(r => r.Description)}},"cost_type":{{D(r => r.CostType)}},"token_type":{{D(r => r.TokenType)}},
             "model":{{D(r => r.Model)}},"service_tier":{{D(r => r.Model is null ? null : "standard")}},"context_window":{{D(r => r.Model is null ? null : "0-200k")}},
             "workspace_id":{{(groupBy.Contains("workspace_id") ? Json(rows[0].Workspace) : "null")}},"inference_geo":null}
            """;
    }

    private static async Task Error(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$"""{"type":"error","error":{"type":"{{type}}","message":{{Json(message)}}},"request_id":"req_fake"}""");
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Json(string? value) => value is null ? "null" : JsonSerializer.Serialize(value, FakeJson.Default.String);

    /// <summary>One hour of usage for one combination of dimensions.</summary>
    public sealed record Usage(DateTimeOffset Hour, string Model, string? Workspace, string? ApiKey, long Input, long Output, long Write5m = 0, long Write1h = 0, long CacheRead = 0, long WebSearches = 0, string ServiceTier = "standard", string ContextWindow = "0-200k", string Geo = "global")
    {
        /// <summary>The value of a dimension as the API names it.</summary>
        public string? Dimension(string name) => name switch
        {
            "model" => Model,
            "workspace_id" => Workspace,
            "api_key_id" => ApiKey,
            "service_tier" => ServiceTier,
            "context_window" => ContextWindow,
            "inference_geo" => Geo,
            _ => null,
        };
    }

    /// <summary>One day's cost for one workspace and description, in cents as the API writes them.</summary>
    public sealed record Cost(DateOnly Day, string? Workspace, string Description, string Cents, string? Model = null, string? TokenType = null, string CostType = "tokens");

    /// <summary>A scripted answer.</summary>
    public sealed record Fault(string Path, int Status, string Body, string? RetryAfter = null, bool Hang = false)
    {
        /// <summary>An Anthropic error answer.</summary>
        public static Fault Error(string path, int status, string type, string? retryAfter = null) =>
            new(path, status, $$"""{"type":"error","error":{"type":"{{type}}","message":"scripted {{status}}"},"request_id":"req_fault"}""", retryAfter);
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class FakeJson : System.Text.Json.Serialization.JsonSerializerContext;
