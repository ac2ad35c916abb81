using Tally.Core.Budgets;
using Tally.Core.Limits;

namespace Tally.Server;

/// <summary>
/// The user's own files the server reads afresh for each request, since they may change while it runs:
/// <c>plans.json</c> (plan limits and the weekly reset) and <c>budgets.json</c>.
/// </summary>
public interface IUserFiles
{
    /// <summary>Where <c>plans.json</c> is.</summary>
    string PlansFile { get; }

    /// <summary>Where <c>budgets.json</c> is.</summary>
    string BudgetsFile { get; }

    /// <summary>The plan settings (the defaults when the file does not exist); problems go to <paramref name="errors"/>.</summary>
    PlanSettings ReadPlans(ICollection<string> errors);

    /// <summary>The budgets (none when the file does not exist); problems go to <paramref name="errors"/>.</summary>
    IReadOnlyList<Budget> ReadBudgets(ICollection<string> errors);
}
