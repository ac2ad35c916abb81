namespace Tally.Core.Budgets;

/// <summary>What should happen when a budget's limit is reached. Tally records it; the metering proxy enforces it.</summary>
public enum BudgetAction
{
    /// <summary>Alert and carry on.</summary>
    Warn = 0,

    /// <summary>Alert and hold the agent's next requests until the window resets or the budget is raised.</summary>
    Pause = 1,

    /// <summary>Alert and refuse the agent's requests.</summary>
    Stop = 2,
}
