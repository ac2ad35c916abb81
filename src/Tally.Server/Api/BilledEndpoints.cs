using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tally.Core.Billing;
using Tally.Core.Export;
using Tally.Server.Http;

namespace Tally.Server.Api;

/// <summary>
/// What Anthropic billed, from the Admin API data <c>tally admin sync</c> stored: <c>/api/admin/costs</c>,
/// <c>/api/admin/usage</c>, <c>/api/admin/claude-code</c> and <c>/api/reconcile</c>, each the document its command prints
/// with <c>--json</c> (built by the same code in Core). They read the index only: a request never calls Anthropic. Days
/// are UTC days, as the Admin API's.
/// </summary>
internal sealed class BilledEndpoints(ServerData data)
{
    /// <summary>What <c>GET /api/admin/costs</c> takes.</summary>
    public static readonly IReadOnlyList<Parameter> CostsParameters = View(BilledCostsView.Dimensions);

    /// <summary>What <c>GET /api/admin/usage</c> takes.</summary>
    public static readonly IReadOnlyList<Parameter> UsageParameters = View(BilledUsageView.Dimensions);

    /// <summary>What <c>GET /api/admin/claude-code</c> takes.</summary>
    public static readonly IReadOnlyList<Parameter> ClaudeCodeParameters = View(ClaudeCodeView.Dimensions);

    /// <summary>What <c>GET /api/reconcile</c> takes.</summary>
    public static readonly IReadOnlyList<Parameter> ReconcileParameters = [new("start_date"), new("end_date"), new("tolerance", Type: "number")];

    /// <summary>Maps the routes.</summary>
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin");
        group.MapGet("/costs", context => ViewAsync(context, CostsParameters, BilledCostsView.BuildAsync));
        group.MapGet("/usage", context => ViewAsync(context, UsageParameters, BilledUsageView.BuildAsync));
        group.MapGet("/claude-code", context => ViewAsync(context, ClaudeCodeParameters, ClaudeCodeView.BuildAsync));
        app.MapGet("/api/reconcile", ReconcileAsync);
    }

    private static Parameter[] View(IReadOnlyList<string> dimensions) =>
        [new("start_date"), new("end_date"), Parameter.OneOf("group_by", [.. dimensions])];

    private async Task ViewAsync(HttpContext context, IReadOnlyList<Parameter> parameters, Func<IBilledStore, BilledViewRequest, CancellationToken, Task<BilledView>> build)
    {
        var query = new QueryReader(context, parameters);
        var first = ApiFilter.Day(query, "start_date");
        var last = ApiFilter.Day(query, "end_date");
        var by = query.Choice("group_by") ?? parameters.Single(static p => p.Name == "group_by").Values![0];
        var (from, until) = BilledViewRequest.Window(first, last, Today());
        if (!query.Failed && from >= until)
        {
            query.Fail("start_date", $"{ApiFilter.Iso(from)} is after end_date {ApiFilter.Iso(until.AddDays(-1))}.");
        }

        if (query.Failed)
        {
            await Problem.BadParametersAsync(context, query.Errors);
            return;
        }

        if (await StoreAsync(context, data.Reader()) is not { } store)
        {
            return;
        }

        var request = new BilledViewRequest { From = from, Until = until, By = by, ClaudeCodeWorkspaces = data.ClaudeCodeWorkspaces };
        var view = await build(store, request, context.RequestAborted);
        await JsonBody.OkAsync(context, json => BilledJson.Write(json, view));
    }

    private async Task ReconcileAsync(HttpContext context)
    {
        var query = new QueryReader(context, ReconcileParameters);
        var firstDay = ApiFilter.Day(query, "start_date");
        var lastDay = ApiFilter.Day(query, "end_date");
        var tolerance = Tolerance(query);
        var (first, last) = Reconciliation.Window(firstDay, lastDay, Today());
        if (!query.Failed && first > last)
        {
            query.Fail("start_date", $"{ApiFilter.Iso(first)} is after end_date {ApiFilter.Iso(last)}.");
        }

        if (query.Failed)
        {
            await Problem.BadParametersAsync(context, query.Errors);
            return;
        }

        var reader = data.Reader(); // local records and billed rows from one connection
        if (await StoreAsync(context, reader) is not { } store)
        {
            return;
        }

        var (view, _) = await Reconciliation.BuildAsync(reader, store, first, last, tolerance, data.CostMode, data.ClaudeCodeWorkspaces, context.RequestAborted);
        await JsonBody.OkAsync(context, json => BilledJson.Write(json, view));
    }

    /// <summary>The <c>tolerance</c> parameter: a percentage from 0 to 100 (default 1).</summary>
    private static decimal Tolerance(QueryReader query)
    {
        var text = query.Text("tolerance");
        if (text is null)
        {
            return Reconciliation.DefaultTolerance;
        }

        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value <= 100m)
        {
            return value;
        }

        query.Fail("tolerance", $"\"{QueryReader.Shown(text)}\" is not a percentage from 0 to 100.");
        return Reconciliation.DefaultTolerance;
    }

    private DateOnly Today() => DateOnly.FromDateTime(data.Clock.GetUtcNow().UtcDateTime);

    /// <summary>The billed tables, or null (after a 501 problem) when this server's index does not keep them.</summary>
    private static async Task<IBilledStore?> StoreAsync(HttpContext context, Core.Storage.IUsageStore reader)
    {
        if (reader is IBilledStore store)
        {
            return store;
        }

        await Problem.WriteAsync(context, StatusCodes.Status501NotImplemented, "This server's index does not keep Admin API data.");
        return null;
    }
}
