namespace Tally.Core.Budgets;

/// <summary>What a budget's limit is measured in.</summary>
public enum BudgetUnit
{
    /// <summary>US dollars, in the configured cost mode.</summary>
    Usd = 0,

    /// <summary>Tokens: input, output, cache writes and cache reads together (ccusage's <c>totalTokens</c>).</summary>
    Tokens = 1,

    /// <summary>Percent of the subscription plan's window, from the utilisation figure the limits code supplies.</summary>
    Percent = 2,
}
