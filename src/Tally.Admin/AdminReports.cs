using System.Globalization;
using System.Text;
using System.Text.Json;
using Tally.Core.Billing;

namespace Tally.Admin;

/// <summary>The Admin API's reports, each fetched page by page until <c>has_more</c> is false.</summary>
public sealed class AdminReports(AdminApiClient client)
{
    /// <summary>The usage report's dimensions Tally groups by (its one stored grain).</summary>
    public static readonly IReadOnlyList<string> UsageDimensions = ["model", "workspace_id", "api_key_id", "service_tier", "context_window"];

    /// <summary>Newer dimensions asked for too, dropped when the API refuses them.</summary>
    public static readonly IReadOnlyList<string> NewerUsageDimensions = ["inference_geo"];

    private const string UsagePath = "v1/organizations/usage_report/messages";
    private const string CostPath = "v1/organizations/cost_report";
    private const string ClaudeCodePath = "v1/organizations/usage_report/claude_code";

    /// <summary>How many pages were read.</summary>
    public int Pages { get; private set; }

    /// <summary>1-hour usage buckets in [<paramref name="from"/>, <paramref name="until"/>), grouped by <paramref name="groupBy"/>
    /// (none: the organization-wide totals).</summary>
    public async Task<List<BilledUsageRow>> UsageAsync(DateTimeOffset from, DateTimeOffset until, IReadOnlyCollection<string> groupBy, CancellationToken cancellationToken)
    {
        var query = Query(from, until) + "&bucket_width=1h&limit=168" + string.Concat(groupBy.Select(static g => "&group_by[]=" + g));
        var rows = new List<BilledUsageRow>();
        await foreach (var data in PagesAsync(UsagePath, query, "usage report", cancellationToken))
        {
            rows.AddRange(AdminJson.UsageRows(data, "usage report"));
        }

        return rows;
    }

    /// <summary>Daily costs of the UTC days in [<paramref name="from"/>, <paramref name="until"/>), grouped by workspace and
    /// description when <paramref name="grouped"/> (else the organization-wide totals).</summary>
    public async Task<List<BilledCostRow>> CostsAsync(DateOnly from, DateOnly until, bool grouped, CancellationToken cancellationToken)
    {
        var query = Query(Midnight(from), Midnight(until)) + "&bucket_width=1d&limit=31" + (grouped ? "&group_by[]=workspace_id&group_by[]=description" : string.Empty);
        var rows = new List<BilledCostRow>();
        await foreach (var data in PagesAsync(CostPath, query, "cost report", cancellationToken))
        {
            rows.AddRange(AdminJson.CostRows(data, "cost report"));
        }

        return rows;
    }

    /// <summary>The Claude Code analytics records of one UTC day.</summary>
    public async Task<List<ClaudeCodeDay>> ClaudeCodeAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var query = "starting_at=" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "&limit=1000";
        var rows = new List<ClaudeCodeDay>();
        await foreach (var data in PagesAsync(ClaudeCodePath, query, "Claude Code report", cancellationToken))
        {
            rows.AddRange(AdminJson.ClaudeCodeRows(data, day, "Claude Code report"));
        }

        return rows;
    }

    /// <summary>Every workspace (archived ones too, so old rows keep their names).</summary>
    public async Task<List<AdminWorkspace>> WorkspacesAsync(CancellationToken cancellationToken)
    {
        var rows = new List<AdminWorkspace>();
        await foreach (var data in PagesAsync("v1/organizations/workspaces", "limit=100&include_archived=true", "workspaces", cancellationToken, "after_id"))
        {
            rows.AddRange(AdminJson.Workspaces(data, "workspaces"));
        }

        return rows;
    }

    /// <summary>Every API key's id, name, workspace and status.</summary>
    public async Task<List<AdminApiKey>> ApiKeysAsync(CancellationToken cancellationToken)
    {
        var rows = new List<AdminApiKey>();
        await foreach (var data in PagesAsync("v1/organizations/api_keys", "limit=100", "API keys", cancellationToken, "after_id"))
        {
            rows.AddRange(AdminJson.ApiKeys(data, "API keys"));
        }

        return rows;
    }

    private async IAsyncEnumerable<JsonElement> PagesAsync(string path, string query, string what, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, string pageParameter = "page")
    {
        string? page = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var url = new StringBuilder(path).Append('?').Append(query);
            if (page is not null)
            {
                url.Append('&').Append(pageParameter).Append('=').Append(Uri.EscapeDataString(page));
            }

            using var document = await client.GetAsync(url.ToString(), cancellationToken);
            Pages++;
            var (data, next) = AdminJson.Page(document.RootElement, what);
            yield return data.Clone();
            if (next is not null && !seen.Add(next))
            {
                throw AdminJson.Malformed(what, "the same next page was named twice (the paging would never end)");
            }

            page = next;
        }
        while (page is not null);
    }

    private static string Query(DateTimeOffset from, DateTimeOffset until) =>
        "starting_at=" + Uri.EscapeDataString(Rfc3339(from)) + "&ending_at=" + Uri.EscapeDataString(Rfc3339(until));

    private static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
