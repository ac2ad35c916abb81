using Microsoft.AspNetCore.Http;
using Tally.Core.Export;
using Tally.Core.Limits;
using Tally.Server.Http;

namespace Tally.Server.Api;

/// <summary>
/// <c>GET /api/limits</c>: plan usage now — the 5-hour, weekly and per-model windows with their utilisation, reset and
/// projected limit, each figure with the signal it came from (the document <c>tally limits --json</c> prints).
/// </summary>
internal sealed class LimitsEndpoint(ServerData data)
{
    /// <summary>What it takes.</summary>
    public static readonly IReadOnlyList<Parameter> Parameters = [new("plan"), new("timezone")];

    /// <summary>Writes the report.</summary>
    public async Task WriteAsync(HttpContext context)
    {
        var query = new QueryReader(context, Parameters);
        var zone = ApiFilter.Zone(query, data);
        var settings = data.UserFiles?.ReadPlans([]) ?? PlanFile.Defaults;
        var name = query.Text("plan");
        var plan = settings.Find(name);
        if (plan is null)
        {
            query.Fail("plan", $"\"{QueryReader.Shown(name ?? settings.Selected)}\" is not a plan ({string.Join(", ", settings.Plans.Keys.Order(StringComparer.Ordinal))}).");
        }

        if (query.Failed || plan is null)
        {
            await Problem.BadParametersAsync(context, query.Errors);
            return;
        }

        var now = data.Clock.GetUtcNow();
        var report = await new PlanUsage(new UsageWindows(data.Reader(), data.Clock)).ReportAsync(new LimitsRequest
        {
            Plan = plan,
            Zone = zone,
            ConfiguredWeeklyReset = WeeklyReset(settings, now, zone),
            CostMode = data.CostMode,
        }, context.RequestAborted);
        await JsonBody.OkAsync(context, json => LimitsJson.Write(json, report, zone, data.UserFiles?.PlansFile, data.Catalog.Version));
    }

    /// <summary>The weekly window <c>plans.json</c> sets, when it sets one.</summary>
    public static WindowAnchor? WeeklyReset(PlanSettings settings, DateTimeOffset now, TimeZoneInfo zone) =>
        settings.WeeklyReset is { } text && PlanFile.TryWeeklyReset(text, now, zone, out var anchor) ? anchor : null;
}
