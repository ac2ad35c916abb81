using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tally.Core.Reports;
using Tally.Core.Storage;
using Tally.Core.Usage;
using Tally.Server.Http;
using Tally.Server.Live;

namespace Tally.Server.Api;

/// <summary>
/// <c>/api/costs</c>: cost and tokens under any filter, grouped by project, model, session, day, agent or tool, with a
/// daily series and an optional comparison with the previous window; the project list; rate-limit headroom; a rescan.
/// </summary>
internal sealed class CostsEndpoints(ServerData data, TranscriptIndexer? indexer)
{
    /// <summary>What <c>GET /api/costs</c> takes.</summary>
    public static readonly IReadOnlyList<Parameter> CostsParameters =
    [
        .. ApiFilter.Parameters,
        Parameter.OneOf("group_by", "project", "model", "session", "day", "agent", "tool"),
        Parameter.OneOf("compare", "previous"),
    ];

    /// <summary>What <c>GET /api/costs/projects</c> takes.</summary>
    public static readonly IReadOnlyList<Parameter> ProjectsParameters = ApiFilter.Parameters;

    /// <summary>Maps the group.</summary>
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/costs");
        group.MapGet(string.Empty, CostsAsync);
        group.MapGet("/projects", ProjectsAsync);
        group.MapGet("/rate-limits", new RateLimitsEndpoint(data.RateLimits).WriteAsync);
        group.MapPost("/rescan", RescanAsync);
    }

    private async Task CostsAsync(HttpContext context)
    {
        var query = new QueryReader(context, CostsParameters);
        var groupBy = query.Choice("group_by") ?? "model";
        var compare = query.Choice("compare") is not null;
        var filter = await ApiFilter.ReadAsync(query, data, context.RequestAborted);
        if (filter is not null && compare && (filter.Request.Since is null || filter.Request.Until is null))
        {
            query.Fail("compare", "previous needs both start_date and end_date (the previous window has the same number of days).");
        }

        if (filter is null || query.Failed)
        {
            await Problem.BadParametersAsync(context, query.Errors);
            return;
        }

        var cancel = context.RequestAborted;
        var daily = await ReportBuilder.BuildAsync(data.Reader(), data.Catalog, filter.For(ReportKind.Daily), filter.Query, cancel);
        var (rows, overlap) = await RowsAsync(groupBy, filter, daily, cancel);
        var cloud = await CallsAsync(filter, ExecutionMode.Cloud, cancel);
        var local = await CallsAsync(filter, ExecutionMode.Local, cancel);
        Report? previous = null;
        if (compare)
        {
            var before = filter.Previous();
            previous = await ReportBuilder.BuildAsync(data.Reader(), data.Catalog, before.For(ReportKind.Daily), before.Query, cancel);
        }

        await JsonBody.OkAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteString("groupBy", groupBy);
            ApiJson.WriteFilter(json, filter);
            json.WriteStartObject("totals");
            ApiJson.WriteFigures(json, daily.Totals);
            json.WriteStartObject("calls");
            json.WriteNumber("cloud", cloud);
            json.WriteNumber("local", local);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteBoolean("rowsOverlap", overlap);
            json.WriteStartArray("rows");
            foreach (var row in rows)
            {
                row(json);
            }

            json.WriteEndArray();
            WriteSeries(json, daily);
            WritePrevious(json, daily, previous);
            ApiJson.WriteList(json, "unpricedModels", daily.UnpricedModels);
            json.WriteString("catalogVersion", daily.CatalogVersion);
            json.WriteNumber("problems", daily.Problems);
            json.WriteEndObject();
        });
    }

    private async Task<long> CallsAsync(ApiFilter filter, ExecutionMode mode, CancellationToken cancellationToken)
    {
        if (filter.Query.ExecutionMode is { } only && only != mode)
        {
            return 0;
        }

        var rows = await data.Reader().AggregateAsync(filter.Query with { ExecutionMode = mode, GroupBy = GroupBy.None }, cancellationToken);
        return rows.Sum(static r => r.Calls);
    }

    private async Task<(List<Action<Utf8JsonWriter>> Rows, bool Overlap)> RowsAsync(string groupBy, ApiFilter filter, Report daily, CancellationToken cancellationToken)
    {
        switch (groupBy)
        {
            case "day":
                return ([.. daily.Lines.Select(static l => Row(l, null))], false);
            case "model":
            case "project":
            case "session":
                var kind = groupBy == "model" ? ReportKind.Models : groupBy == "project" ? ReportKind.Projects : ReportKind.Session;
                var report = await ReportBuilder.BuildAsync(data.Reader(), data.Catalog, filter.For(kind), filter.Query, cancellationToken);
                return ([.. ByCost(report.Lines).Select(l => Row(l, json => Extra(json, kind, l)))], false);
            case "agent":
                // A proxy agent's calls are its row, whatever their session; a session's other calls its own rows (as the
                // agent cards): no call is in two rows.
                var agents = await data.Reader().AggregateAsync(filter.Query with { GroupBy = GroupBy.Session | GroupBy.Agent | GroupBy.Model | GroupBy.ProxyAgent }, cancellationToken);
                var byAgent = Grouping.Fold(agents, AgentKey);
                var billing = agents.GroupBy(AgentKey, StringComparer.Ordinal)
                    .ToDictionary(static g => g.Key, static g => g.Where(static r => r.Billing is Core.Agents.BillingSource.Subscription or Core.Agents.BillingSource.Api).MaxBy(static r => r.LastSeen)?.Billing, StringComparer.Ordinal);
                return ([.. byAgent.OrderByDescending(static a => a.Line.Totals.CostUsd).ThenBy(static a => a.Key, StringComparer.Ordinal)
                    .Select(a => Row(a.First.ProxyAgent is { } named ? a.Line with { Key = named } : a.Line, json =>
                    {
                        json.WriteString("proxyAgent", a.First.ProxyAgent);
                        json.WriteString("sessionId", a.First.ProxyAgent is null ? a.First.SessionId : null);
                        json.WriteString("agentId", a.First.ProxyAgent is null ? a.First.AgentId : null);
                        json.WriteString("billing", billing[a.Key] switch
                        {
                            Core.Agents.BillingSource.Subscription => "subscription",
                            Core.Agents.BillingSource.Api => "api",
                            _ => null,
                        });
                    }))], false);
            default:
                var tools = await data.Reader().AggregateAsync(filter.Query with { GroupBy = GroupBy.Tool | GroupBy.Model }, cancellationToken);
                var byTool = Grouping.Fold(tools, static r => r.Tool ?? string.Empty);
                return ([.. byTool.OrderByDescending(static t => t.Line.Totals.Requests).ThenBy(static t => t.Key, StringComparer.Ordinal)
                    .Select(static t => Row(t.Line with { Key = t.First.Tool ?? "(no tool)" }, json => json.WriteString("tool", t.First.Tool)))], true);
        }
    }

    /// <summary>The row an aggregate row belongs to under <c>group_by=agent</c>: the proxy's agent, else the session's
    /// subagent, else the session.</summary>
    private static string AgentKey(AggregateRow row) =>
        row.ProxyAgent is { } named ? "agent:" + named : row.AgentId is null ? row.SessionId ?? string.Empty : $"{row.SessionId}/{row.AgentId}";

    private static IEnumerable<ReportLine> ByCost(IEnumerable<ReportLine> lines) =>
        lines.OrderByDescending(static l => l.Totals.CostUsd).ThenByDescending(static l => l.Totals.Tokens.Total).ThenBy(static l => l.Key, StringComparer.Ordinal);

    private void Extra(Utf8JsonWriter json, ReportKind kind, ReportLine line)
    {
        switch (kind)
        {
            case ReportKind.Models:
                json.WriteString("catalogModel", line.CatalogModel);
                break;
            case ReportKind.Projects:
                json.WriteString("projectPath", line.ProjectPath);
                json.WriteNumber("sessions", line.Sessions ?? 0);
                break;
            default:
                json.WriteString("projectPath", line.ProjectPath);
                json.WriteString("project", ProjectNames.Display(line.ProjectPath, data.ProjectAliases));
                break;
        }
    }

    private static Action<Utf8JsonWriter> Row(ReportLine line, Action<Utf8JsonWriter>? extra) => json =>
    {
        json.WriteStartObject();
        json.WriteString("key", line.Key);
        extra?.Invoke(json);
        ApiJson.WriteFigures(json, line.Totals);
        ApiJson.WriteModels(json, line.Models);
        json.WriteEndObject();
    };

    /// <summary>One entry per day from the first to the last day with data inside the range (days without data are zeros).</summary>
    private static void WriteSeries(Utf8JsonWriter json, Report daily)
    {
        json.WriteStartArray("series");
        var byDay = daily.Lines.ToDictionary(static l => l.Key, StringComparer.Ordinal);
        if (daily.Lines.Count > 0)
        {
            var first = DateOnly.ParseExact(daily.Lines[0].Key, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var last = DateOnly.ParseExact(daily.Lines[^1].Key, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            for (var day = first; day <= last; day = day.AddDays(1))
            {
                var key = ApiFilter.Iso(day);
                var line = byDay.GetValueOrDefault(key) ?? new ReportLine { Key = key, Totals = UsageTotals.Empty, Models = [] };
                json.WriteStartObject();
                json.WriteString("date", key);
                ApiJson.WriteFigures(json, line.Totals);
                ApiJson.WriteModels(json, line.Models);
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
    }

    private static void WritePrevious(Utf8JsonWriter json, Report current, Report? previous)
    {
        if (previous is null)
        {
            json.WriteNull("previous");
            return;
        }

        var request = previous.Request;
        json.WriteStartObject("previous");
        json.WriteString("startDate", ApiFilter.Iso(request.Since!.Value));
        json.WriteString("endDate", ApiFilter.Iso(request.Until!.Value));
        json.WriteStartObject("totals");
        ApiJson.WriteFigures(json, previous.Totals);
        json.WriteEndObject();
        json.WriteStartObject("change");
        var now = current.Totals;
        var then = previous.Totals;
        json.WriteNumber("totalCost", now.CostUsd - then.CostUsd);
        if (then.CostUsd == 0)
        {
            json.WriteNull("totalCostRatio");
        }
        else
        {
            json.WriteNumber("totalCostRatio", Math.Round((now.CostUsd - then.CostUsd) / then.CostUsd, 6, MidpointRounding.AwayFromZero));
        }

        json.WriteNumber("totalTokens", now.Tokens.Total - then.Tokens.Total);
        json.WriteNumber("requests", now.Requests - then.Requests);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private async Task ProjectsAsync(HttpContext context)
    {
        var query = new QueryReader(context, ProjectsParameters);
        var filter = await ApiFilter.ReadAsync(query, data, context.RequestAborted);
        if (filter is null)
        {
            await Problem.BadParametersAsync(context, query.Errors);
            return;
        }

        var report = await ReportBuilder.BuildAsync(data.Reader(), data.Catalog, filter.For(ReportKind.Projects), filter.Query, context.RequestAborted);
        await JsonBody.OkAsync(context, json =>
        {
            json.WriteStartObject();
            ApiJson.WriteFilter(json, filter);
            json.WriteStartArray("projects");
            foreach (var line in ByCost(report.Lines))
            {
                json.WriteStartObject();
                json.WriteString("project", line.Key);
                json.WriteString("projectPath", line.ProjectPath);
                json.WriteNumber("sessions", line.Sessions ?? 0);
                ApiJson.WriteFigures(json, line.Totals);
                ApiJson.WriteList(json, "modelsUsed", line.Models.Select(static m => m.Model));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("totals");
            ApiJson.WriteFigures(json, report.Totals);
            json.WriteEndObject();
            json.WriteString("catalogVersion", report.CatalogVersion);
            json.WriteEndObject();
        });
    }

    private async Task RescanAsync(HttpContext context)
    {
        var query = new QueryReader(context, []);
        if (query.Failed)
        {
            await Problem.BadParametersAsync(context, query.Errors);
            return;
        }

        if (indexer is null)
        {
            await Problem.WriteAsync(context, StatusCodes.Status409Conflict, "This server does not sync the index (it was started with --no-sync): run `tally sync`, or restart serve without --no-sync.");
            return;
        }

        var report = await indexer.SyncAllAsync(context.RequestAborted);
        await JsonBody.OkAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("filesSeen", report.FilesSeen);
            json.WriteNumber("filesRead", report.FilesRead);
            json.WriteNumber("filesMissing", report.FilesMissing);
            json.WriteNumber("bytesRead", report.BytesRead);
            json.WriteNumber("recordsRead", report.RecordsRead);
            json.WriteNumber("problems", report.Problems);
            json.WriteNumber("repriced", report.Repriced);
            json.WriteNumber("elapsedMs", (long)report.Elapsed.TotalMilliseconds);
            json.WriteEndObject();
        });
    }
}
