namespace Tally.Core.Budgets;

/// <summary>The span a budget's usage is summed over: from <see cref="Start"/> (inclusive) to <see cref="End"/>
/// (exclusive; null for a window that never ends, such as a session's whole life).</summary>
/// <param name="Start">The first instant of the window (UTC); <see cref="DateTimeOffset.UnixEpoch"/> for a whole life.</param>
/// <param name="End">The instant the window resets, if it does.</param>
public sealed record BudgetWindow(DateTimeOffset Start, DateTimeOffset? End)
{
    /// <summary>A subject's whole life.</summary>
    public static readonly BudgetWindow Lifetime = new(DateTimeOffset.UnixEpoch, null);
}
