namespace Tally.Core.Budgets;

/// <summary>
/// Supplies the plan's utilisation to percent budgets. The limits code implements it from its signals (observed
/// headers, Claude Code's status-line <c>rate_limits</c>, limit lines, estimates); without one, percent budgets show
/// that no figure is known and raise no alert.
/// </summary>
public interface IPlanUtilisationSource
{
    /// <summary>The utilisation of the plan's <paramref name="period"/> window (<see cref="BudgetPeriod.FiveHour"/> or
    /// <see cref="BudgetPeriod.Weekly"/>) at <paramref name="now"/>, or null when no signal gives one.</summary>
    ValueTask<PlanUtilisation?> GetAsync(BudgetPeriod period, DateTimeOffset now, CancellationToken cancellationToken);
}
