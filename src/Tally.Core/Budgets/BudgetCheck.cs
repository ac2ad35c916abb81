using Tally.Core.Alerts;

namespace Tally.Core.Budgets;

/// <summary>The result of one check: where every budget stands, and the alerts this check raised.</summary>
/// <param name="Statuses">One per budget, or per subject for a budget without a target.</param>
/// <param name="Raised">The alerts raised by this check (not those raised before, by it or another process).</param>
public sealed record BudgetCheck(IReadOnlyList<BudgetStatus> Statuses, IReadOnlyList<Alert> Raised);
