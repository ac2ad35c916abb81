namespace Tally.Core.Budgets;

/// <summary>The window a budget's usage is summed over; it resets when the window ends.</summary>
public enum BudgetPeriod
{
    /// <summary>A calendar day of the configured time zone (resets at local midnight).</summary>
    Day = 0,

    /// <summary>A calendar month of the configured time zone (resets at local midnight on the 1st).</summary>
    Month = 1,

    /// <summary>The subject's whole life (a session's budget never resets).</summary>
    Total = 2,

    /// <summary>The plan's 5-hour window, as the limits code observes or estimates it.</summary>
    FiveHour = 3,

    /// <summary>The plan's weekly window, as the limits code observes or estimates it.</summary>
    Weekly = 4,
}
