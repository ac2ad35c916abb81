namespace Tally.Core.Budgets;

/// <summary>Which combinations make a budget, and what is wrong with one that is not.</summary>
public static class BudgetRules
{
    /// <summary>The longest name a budget may have.</summary>
    public const int MaxNameLength = 64;

    /// <summary>The window a scope uses when none is chosen.</summary>
    public static BudgetPeriod DefaultPeriod(BudgetScope scope) => scope switch
    {
        BudgetScope.Day or BudgetScope.Agent => BudgetPeriod.Day,
        BudgetScope.Month or BudgetScope.Project => BudgetPeriod.Month,
        BudgetScope.Session => BudgetPeriod.Total,
        _ => BudgetPeriod.FiveHour,
    };

    /// <summary>The windows a scope may use.</summary>
    public static IReadOnlyList<BudgetPeriod> Periods(BudgetScope scope) => scope switch
    {
        BudgetScope.Day => [BudgetPeriod.Day],
        BudgetScope.Month => [BudgetPeriod.Month],
        BudgetScope.Session => [BudgetPeriod.Total],
        BudgetScope.Project or BudgetScope.Agent => [BudgetPeriod.Day, BudgetPeriod.Month],
        _ => [BudgetPeriod.FiveHour, BudgetPeriod.Weekly],
    };

    /// <summary>True when the scope takes a target (a session, project or agent); else the target must be absent.</summary>
    public static bool HasTarget(BudgetScope scope) => scope is BudgetScope.Session or BudgetScope.Project or BudgetScope.Agent;

    /// <summary>Everything wrong with <paramref name="budget"/>, each said with its fix; empty when it can be used.</summary>
    public static IReadOnlyList<string> Problems(Budget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var problems = new List<string>();
        if (!IsName(budget.Name))
        {
            problems.Add($"the name \"{budget.Name}\" must be 1 to {MaxNameLength} letters, digits, '.', '_' or '-'");
        }

        if (!Periods(budget.Scope).Contains(budget.Period))
        {
            problems.Add($"a {BudgetText.Of(budget.Scope)} budget is summed per {string.Join(" or ", Periods(budget.Scope).Select(BudgetText.Of))}, not per {BudgetText.Of(budget.Period)}");
        }

        if (budget.Target is not null && (!HasTarget(budget.Scope) || string.IsNullOrWhiteSpace(budget.Target)))
        {
            problems.Add(HasTarget(budget.Scope) ? "the target is empty: leave it out to limit each one" : $"a {BudgetText.Of(budget.Scope)} budget has no target");
        }

        if ((budget.Scope == BudgetScope.Plan) != (budget.Unit == BudgetUnit.Percent))
        {
            problems.Add(budget.Scope == BudgetScope.Plan
                ? "a plan budget is in percent of the plan's window (unit percent)"
                : "percent budgets are for the plan's windows (scope plan); use usd or tokens");
        }

        if (budget.Limit <= 0m)
        {
            problems.Add($"the limit must be above zero, not {budget.Limit}");
        }
        else if (budget.Unit == BudgetUnit.Tokens && budget.Limit != decimal.Truncate(budget.Limit))
        {
            problems.Add($"a token limit is a whole number, not {budget.Limit}");
        }

        if (budget.Thresholds.Count == 0 || budget.Thresholds.Any(static t => t <= 0m || t > 1000m))
        {
            problems.Add("thresholds are percentages of the limit above 0 and at most 1000, e.g. 50, 80, 100");
        }
        else if (budget.Thresholds.Distinct().Count() != budget.Thresholds.Count)
        {
            problems.Add("a threshold is listed twice");
        }

        return problems;
    }

    /// <summary>True for a usable budget name.</summary>
    public static bool IsName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && name.All(static c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
