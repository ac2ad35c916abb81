using Tally.Core.Storage;

namespace Tally.Core.Budgets;

/// <summary>
/// Resuming a paused budget: the metering proxy holds an agent's requests while a <c>pause</c> budget is over its
/// limit; a resume (<c>tally budget resume</c>, the API) lets them through until the budget's window resets. It is
/// recorded in the index per budget, subject and window, so every proxy process sees it.
/// </summary>
public static class BudgetResume
{
    /// <summary>The subject key a resume is recorded under (empty for budgets without subjects).</summary>
    public static string SubjectKey(BudgetStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.Subject ?? string.Empty;
    }

    /// <summary>
    /// Resumes budget <paramref name="name"/> for <paramref name="subject"/> (a session id, project or agent as
    /// <c>tally budget list</c> shows it; null for every subject) in its current window. Returns the statuses resumed
    /// (none when no subject of the budget is over its limit), or null when no budget has that name.
    /// </summary>
    public static async Task<IReadOnlyList<BudgetStatus>?> ResumeAsync(IUsageStore store, BudgetEvaluator evaluator, IReadOnlyList<Budget> budgets, string name, string? subject, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(budgets);
        var budget = budgets.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase));
        if (budget is null)
        {
            return null;
        }

        var statuses = (await evaluator.EvaluateAsync([budget], cancellationToken))
            .Where(s => s.ActionDue is not null)
            .Where(s => subject is null || string.Equals(s.Subject, subject, StringComparison.Ordinal) || string.Equals(s.SubjectLabel, subject, StringComparison.Ordinal))
            .ToList();
        foreach (var status in statuses)
        {
            await store.ResumeBudgetAsync(budget.Name, SubjectKey(status), status.Window.Start, now, cancellationToken);
        }

        return statuses;
    }
}
