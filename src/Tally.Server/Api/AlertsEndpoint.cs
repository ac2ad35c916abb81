using Microsoft.AspNetCore.Http;
using Tally.Core.Budgets;
using Tally.Core.Export;
using Tally.Server.Http;

namespace Tally.Server.Api;

/// <summary>
/// <c>GET /api/alerts</c>: the alerts raised (budget thresholds, projected overruns, rate-limit hits), oldest first,
/// with where each was delivered (the document <c>tally alerts --json</c> prints).
/// </summary>
internal sealed class AlertsEndpoint(ServerData data)
{
    /// <summary>What it takes.</summary>
    public static readonly IReadOnlyList<Parameter> Parameters = [new("start_date"), new("end_date"), new("timezone")];

    /// <summary>Writes the alerts.</summary>
    public async Task WriteAsync(HttpContext context)
    {
        var query = new QueryReader(context, Parameters);
        var zone = ApiFilter.Zone(query, data);
        var since = ApiFilter.Day(query, "start_date");
        var until = ApiFilter.Day(query, "end_date");
        if (since is { } s && until is { } u && s > u)
        {
            query.Fail("start_date", $"{ApiFilter.Iso(s)} is after end_date {ApiFilter.Iso(u)}.");
        }

        if (query.Failed)
        {
            await Problem.BadParametersAsync(context, query.Errors);
            return;
        }

        var from = since is { } first ? LocalCalendar.StartOf(first, zone) : (DateTimeOffset?)null;
        var to = until is { } last ? LocalCalendar.StartOf(last.AddDays(1), zone) : (DateTimeOffset?)null;
        var alerts = await data.Reader().AlertsAsync(from, to, context.RequestAborted);
        await JsonBody.OkAsync(context, json => AlertListJson.Write(json, alerts, zone));
    }
}
