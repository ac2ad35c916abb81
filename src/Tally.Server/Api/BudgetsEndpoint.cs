using Microsoft.AspNetCore.Http;
using Tally.Core.Budgets;
using Tally.Core.Export;
using Tally.Core.Limits;
using Tally.Server.Http;

namespace Tally.Server.Api;

/// <summary>
/// <c>GET /api/budgets</c>: each budget in <c>budgets.json</c> and where it stands in its current window — used,
/// percent, burn rate, projected limit, thresholds crossed, the action due (the document <c>tally budget list --json</c>
/// prints). Evaluating raises no alert; the sync's check does that.
/// </summary>
internal sealed class BudgetsEndpoint(ServerData data)
{
    /// <summary>Writes the budgets and their statuses.</summary>
    public async Task WriteAsync(HttpContext context)
    {
        var query = new QueryReader(context, []);
        if (query.Failed)
        {
            await Problem.BadParametersAsync(context, query.Errors);
            return;
        }

        var budgets = data.UserFiles?.ReadBudgets([]) ?? [];
        var settings = new BudgetSettings { Zone = data.Zone, CostMode = data.CostMode, ProjectAliases = data.ProjectAliases };
        if (budgets.Any(static b => b.Unit == BudgetUnit.Percent) && Plan() is { } plan)
        {
            settings = settings with { Plan = plan };
        }

        var statuses = await new BudgetEvaluator(data.Reader(), data.Clock, settings).EvaluateAsync(budgets, context.RequestAborted);
        await JsonBody.OkAsync(context, json => BudgetsJson.Write(json, budgets, statuses, settings.Zone, data.UserFiles?.BudgetsFile));
    }

    /// <summary>Plan-percent budgets' figure: plan usage with the plan <c>plans.json</c> selects (null when it names none).</summary>
    private PlanUsageUtilisation? Plan()
    {
        var plans = data.UserFiles?.ReadPlans([]) ?? PlanFile.Defaults;
        if (plans.Find() is not { } plan)
        {
            return null;
        }

        var now = data.Clock.GetUtcNow();
        return new PlanUsageUtilisation(new PlanUsage(new UsageWindows(data.Reader(), data.Clock)), new LimitsRequest
        {
            Plan = plan,
            Zone = data.Zone,
            ConfiguredWeeklyReset = LimitsEndpoint.WeeklyReset(plans, now, data.Zone),
            CostMode = data.CostMode,
        });
    }
}
