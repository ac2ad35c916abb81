using Microsoft.AspNetCore.Http;
using Tally.Core.Agents;
using Tally.Core.Export;
using Tally.Core.Reports;
using Tally.Server.Http;

namespace Tally.Server.Api;

/// <summary>
/// <c>GET /api/agents</c>: the agent cards <c>tally agents --json</c> prints (same document), for the last 24 hours
/// unless a range is given.
/// </summary>
internal sealed class AgentsEndpoint(ServerData data)
{
    /// <summary>The range shown when neither start_date nor end_date is given (as <c>tally agents</c>).</summary>
    public static readonly TimeSpan DefaultRange = TimeSpan.FromHours(24);

    /// <summary>What it takes.</summary>
    public static readonly IReadOnlyList<Parameter> Parameters =
    [
        .. ApiFilter.Parameters,
        new("active", "boolean"),
        new("active_minutes", "integer"),
        new("changes", "boolean"),
    ];

    /// <summary>Writes the cards.</summary>
    public async Task WriteAsync(HttpContext context)
    {
        var query = new QueryReader(context, Parameters);
        var activeOnly = query.Boolean("active") ?? false;
        var minutes = query.Integer("active_minutes", 1, 24 * 60);
        var changes = query.Boolean("changes") ?? true;
        var filter = await ApiFilter.ReadAsync(query, data, context.RequestAborted, defaultFrom: static now => now - DefaultRange);
        if (filter is null || query.Failed)
        {
            await Problem.BadParametersAsync(context, query.Errors);
            return;
        }

        var settings = data.Agents with { ProjectAliases = data.ProjectAliases };
        if (minutes is { } m)
        {
            settings = settings with { ActiveWindow = TimeSpan.FromMinutes(m) };
        }

        var board = new AgentBoard(data.Reader(), settings, data.Clock, changes ? data.WorktreeChanges : null);
        var cards = await board.BuildAsync(filter.Query, context.RequestAborted);
        var report = new AgentsReport
        {
            Cards = activeOnly ? [.. cards.Where(static c => c.Status == AgentStatus.Active)] : cards,
            Settings = settings,
            Now = data.Clock.GetUtcNow(),
            From = filter.Query.From,
            Until = filter.Query.Until,
            Zone = filter.Request.Zone,
            CostMode = filter.Request.CostMode,
            CatalogVersion = data.Catalog.Version,
            ActiveOnly = activeOnly,
        };
        await JsonBody.OkAsync(context, json => AgentsJson.Write(json, report));
    }
}
