namespace Tally.Core.Budgets;

/// <summary>How much of the subscription plan's window is used, and where that figure came from.</summary>
/// <param name="Percent">Percent of the window used (0–100, more when over).</param>
/// <param name="Window">The plan window the figure is for (its start, and when it resets).</param>
/// <param name="Source">The signal the figure came from (e.g. <c>observed header</c>, <c>status line</c>, <c>estimate</c>).</param>
/// <param name="PercentPerHour">The current burn, in percent of the window per hour, when the source knows it.</param>
public sealed record PlanUtilisation(decimal Percent, BudgetWindow Window, string Source, decimal? PercentPerHour = null);
