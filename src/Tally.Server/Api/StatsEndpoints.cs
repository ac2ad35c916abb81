using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tally.Core.Reports;
using Tally.Core.Storage;
using Tally.Server.Http;

namespace Tally.Server.Api;

/// <summary>
/// <c>/api/stats</c>: totals with cache hit rate and session averages, by model and by day, week or month; the
/// sessions, sortable and paged; tool usage.
/// </summary>
internal sealed class StatsEndpoints(ServerData data)
{
    /// <summary>What <c>GET /api/stats</c> takes.</summary>
    public static readonly IReadOnlyList<Parameter> StatsParameters = [.. ApiFilter.Parameters, Parameter.OneOf("group_by", "day", "week", "month")];

    /// <summary>What <c>GET /api/stats/sessions</c> takes.</summary>
    public static readonly IReadOnlyList<Parameter> SessionsParameters =
    [
        .. ApiFilter.Parameters,
        new("limit", "integer"),
        new("offset", "integer"),
        Parameter.OneOf("sort", "cost", "tokens", "date"),
        Parameter.OneOf("order", "asc", "desc"),
    ];

    /// <summary>What <c>GET /api/stats/tools</c> takes.</summary>
    public static readonly IReadOnlyList<Parameter> ToolsParameters = ApiFilter.Parameters;

    /// <summary>The most sessions one page may hold.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Maps the group.</summary>
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/stats");
        group.MapGet(string.Empty, StatsAsync);
        group.MapGet("/sessions", SessionsAsync);
        group.MapGet("/tools", ToolsAsync);
    }

    private async Task StatsAsync(HttpContext context)
    {
        var query = new QueryReader(context, StatsParameters);
        var period = query.Choice("group_by") ?? "day";
        var filter = await ApiFilter.ReadAsync(query, data, context.RequestAborted);
        if (filter is null || query.Failed)
        {
            await Problem.BadParametersAsync(context, query.Errors);
            return;
        }

        var cancel = context.RequestAborted;
        var kind = period switch { "week" => ReportKind.Weekly, "month" => ReportKind.Monthly, _ => ReportKind.Daily };
        var series = await ReportBuilder.BuildAsync(data.Reader(), data.Catalog, filter.For(kind), filter.Query, cancel);
        var models = await ReportBuilder.BuildAsync(data.Reader(), data.Catalog, filter.For(ReportKind.Models), filter.Query, cancel);
        var sessions = (await ReportBuilder.BuildAsync(data.Reader(), data.Catalog, filter.For(ReportKind.Session), filter.Query, cancel))
            .Lines.Where(static l => l.Key != ReportBuilder.NoSession).ToList();
        await JsonBody.OkAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteString("groupBy", period);
            ApiJson.WriteFilter(json, filter);
            json.WriteStartObject("totals");
            ApiJson.WriteFigures(json, series.Totals);
            json.WriteEndObject();
            WriteSessionAverages(json, sessions);
            json.WriteStartArray("byModel");
            foreach (var line in models.Lines)
            {
                json.WriteStartObject();
                json.WriteString("model", line.Key);
                json.WriteString("catalogModel", line.CatalogModel);
                ApiJson.WriteFigures(json, line.Totals);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("series");
            foreach (var line in series.Lines)
            {
                json.WriteStartObject();
                json.WriteString("period", line.Key);
                ApiJson.WriteFigures(json, line.Totals);
                ApiJson.WriteModels(json, line.Models);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            ApiJson.WriteList(json, "unpricedModels", series.UnpricedModels);
            json.WriteString("catalogVersion", series.CatalogVersion);
            json.WriteEndObject();
        });
    }

    private static void WriteSessionAverages(Utf8JsonWriter json, List<ReportLine> sessions)
    {
        json.WriteStartObject("sessions");
        json.WriteNumber("count", sessions.Count);
        if (sessions.Count == 0)
        {
            json.WriteNull("averageDurationSeconds");
            json.WriteNull("averageTokens");
            json.WriteNull("averageCost");
        }
        else
        {
            json.WriteNumber("averageDurationSeconds", Math.Round(sessions.Average(static s => Duration(s.Totals).TotalSeconds), 1));
            json.WriteNumber("averageTokens", Math.Round((decimal)sessions.Sum(static s => s.Totals.Tokens.Total) / sessions.Count, 1, MidpointRounding.AwayFromZero));
            json.WriteNumber("averageCost", Math.Round(sessions.Sum(static s => s.Totals.CostUsd) / sessions.Count, 10, MidpointRounding.AwayFromZero));
        }

        json.WriteEndObject();
    }

    private async Task SessionsAsync(HttpContext context)
    {
        var query = new QueryReader(context, SessionsParameters);
        var limit = query.Integer("limit", 1, MaxLimit) ?? 50;
        var offset = query.Integer("offset", 0, int.MaxValue) ?? 0;
        var sort = query.Choice("sort") ?? "date";
        var descending = (query.Choice("order") ?? "desc") == "desc";
        var filter = await ApiFilter.ReadAsync(query, data, context.RequestAborted);
        if (filter is null || query.Failed)
        {
            await Problem.BadParametersAsync(context, query.Errors);
            return;
        }

        var report = await ReportBuilder.BuildAsync(data.Reader(), data.Catalog, filter.For(ReportKind.Session), filter.Query, context.RequestAborted);
        var sessions = report.Lines.Where(static l => l.Key != ReportBuilder.NoSession);
        IOrderedEnumerable<ReportLine> ordered = sort switch
        {
            "cost" => descending ? sessions.OrderByDescending(static s => s.Totals.CostUsd) : sessions.OrderBy(static s => s.Totals.CostUsd),
            "tokens" => descending ? sessions.OrderByDescending(static s => s.Totals.Tokens.Total) : sessions.OrderBy(static s => s.Totals.Tokens.Total),
            _ => descending ? sessions.OrderByDescending(static s => s.Totals.LastActivity) : sessions.OrderBy(static s => s.Totals.LastActivity),
        };
        var all = ordered.ThenBy(static s => s.Key, StringComparer.Ordinal).ToList();
        var now = data.Clock.GetUtcNow();
        await JsonBody.OkAsync(context, json =>
        {
            json.WriteStartObject();
            ApiJson.WriteFilter(json, filter);
            json.WriteNumber("total", all.Count);
            json.WriteNumber("limit", limit);
            json.WriteNumber("offset", offset);
            json.WriteString("sort", sort);
            json.WriteString("order", descending ? "desc" : "asc");
            json.WriteNumber("activeWindowMinutes", (decimal)data.Agents.ActiveWindow.TotalMinutes);
            json.WriteStartArray("sessions");
            foreach (var session in all.Skip(offset).Take(limit))
            {
                json.WriteStartObject();
                json.WriteString("sessionId", session.Key);
                json.WriteString("project", ProjectNames.Display(session.ProjectPath, data.ProjectAliases));
                json.WriteString("projectPath", session.ProjectPath);
                json.WriteNumber("durationSeconds", (long)Duration(session.Totals).TotalSeconds);
                json.WriteBoolean("active", session.Totals.LastActivity is { } last && now - last <= data.Agents.ActiveWindow);
                ApiJson.WriteFigures(json, session.Totals);
                ApiJson.WriteModels(json, session.Models);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("catalogVersion", report.CatalogVersion);
            json.WriteEndObject();
        });
    }

    private async Task ToolsAsync(HttpContext context)
    {
        var query = new QueryReader(context, ToolsParameters);
        var filter = await ApiFilter.ReadAsync(query, data, context.RequestAborted);
        if (filter is null)
        {
            await Problem.BadParametersAsync(context, query.Errors);
            return;
        }

        var rows = await data.Reader().AggregateAsync(filter.Query with { GroupBy = GroupBy.Tool | GroupBy.Model }, context.RequestAborted);
        var tools = Grouping.Fold(rows, static r => r.Tool ?? string.Empty);
        var used = tools.Where(static t => t.First.Tool is not null).OrderByDescending(static t => t.Line.Totals.Requests).ThenBy(static t => t.Key, StringComparer.Ordinal);
        var none = tools.Where(static t => t.First.Tool is null).Select(static t => t.Line.Totals).FirstOrDefault() ?? UsageTotals.Empty;
        await JsonBody.OkAsync(context, json =>
        {
            json.WriteStartObject();
            ApiJson.WriteFilter(json, filter);
            json.WriteBoolean("rowsOverlap", true);
            json.WriteStartArray("tools");
            foreach (var tool in used)
            {
                json.WriteStartObject();
                json.WriteString("tool", tool.Key);
                ApiJson.WriteFigures(json, tool.Line.Totals);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("withoutTools");
            ApiJson.WriteFigures(json, none);
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }

    private static TimeSpan Duration(UsageTotals totals) =>
        totals.FirstActivity is { } first && totals.LastActivity is { } last ? last - first : TimeSpan.Zero;
}
