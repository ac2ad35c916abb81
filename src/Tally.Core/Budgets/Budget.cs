namespace Tally.Core.Budgets;

/// <summary>
/// A limit on usage: what it covers (<see cref="Scope"/> and <see cref="Target"/>), the window it is summed over
/// (<see cref="Period"/>), the limit and its unit, the percentages of the limit that alert, and the action at the limit.
/// Check one with <see cref="BudgetRules.Problems"/> before using it.
/// </summary>
public sealed record Budget
{
    /// <summary>The default alert thresholds, in percent of the limit.</summary>
    public static readonly IReadOnlyList<decimal> DefaultThresholds = [50m, 80m, 100m];

    /// <summary>The budget's name (letters, digits, <c>.</c>, <c>_</c>, <c>-</c>): its identity in files, alerts and the CLI.</summary>
    public required string Name { get; init; }

    /// <summary>What the budget limits.</summary>
    public required BudgetScope Scope { get; init; }

    /// <summary>The session id, project (path, folder name or alias) or agent (working directory or its folder name)
    /// the budget is for; null for each one of them separately (and always null for day, month and plan budgets).</summary>
    public string? Target { get; init; }

    /// <summary>The window usage is summed over (<see cref="BudgetRules.DefaultPeriod"/> when not chosen).</summary>
    public required BudgetPeriod Period { get; init; }

    /// <summary>The unit of <see cref="Limit"/>.</summary>
    public BudgetUnit Unit { get; init; } = BudgetUnit.Usd;

    /// <summary>The limit, in <see cref="Unit"/>.</summary>
    public required decimal Limit { get; init; }

    /// <summary>The percentages of the limit that raise an alert, ascending.</summary>
    public IReadOnlyList<decimal> Thresholds { get; init; } = DefaultThresholds;

    /// <summary>What should happen at the limit.</summary>
    public BudgetAction Action { get; init; } = BudgetAction.Warn;
}
