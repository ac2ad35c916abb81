namespace Tally.Core.Budgets;

/// <summary>The words budgets are written with in files, flags and JSON (<c>five-hour</c>, <c>usd</c>, <c>pause</c>…).</summary>
public static class BudgetText
{
    /// <summary>A scope's word.</summary>
    public static string Of(BudgetScope scope) => scope switch
    {
        BudgetScope.Day => "day",
        BudgetScope.Month => "month",
        BudgetScope.Session => "session",
        BudgetScope.Project => "project",
        BudgetScope.Agent => "agent",
        _ => "plan",
    };

    /// <summary>A period's word.</summary>
    public static string Of(BudgetPeriod period) => period switch
    {
        BudgetPeriod.Day => "day",
        BudgetPeriod.Month => "month",
        BudgetPeriod.Total => "total",
        BudgetPeriod.FiveHour => "five-hour",
        _ => "weekly",
    };

    /// <summary>A unit's word.</summary>
    public static string Of(BudgetUnit unit) => unit switch
    {
        BudgetUnit.Usd => "usd",
        BudgetUnit.Tokens => "tokens",
        _ => "percent",
    };

    /// <summary>An action's word.</summary>
    public static string Of(BudgetAction action) => action switch
    {
        BudgetAction.Warn => "warn",
        BudgetAction.Pause => "pause",
        _ => "stop",
    };

    /// <summary>A scope from its word (case-insensitive); null when it is none.</summary>
    public static BudgetScope? Scope(string text) => Find(text, Enum.GetValues<BudgetScope>(), Of);

    /// <summary>A period from its word (<c>5h</c> and <c>week</c> too); null when it is none.</summary>
    public static BudgetPeriod? Period(string text) => text.Trim().ToLowerInvariant() switch
    {
        "5h" or "5-hour" or "fivehour" => BudgetPeriod.FiveHour,
        "week" => BudgetPeriod.Weekly,
        var word => Find(word, Enum.GetValues<BudgetPeriod>(), Of),
    };

    /// <summary>A unit from its word (<c>$</c>, <c>dollars</c>, <c>%</c> too); null when it is none.</summary>
    public static BudgetUnit? Unit(string text) => text.Trim().ToLowerInvariant() switch
    {
        "$" or "dollars" => BudgetUnit.Usd,
        "%" => BudgetUnit.Percent,
        var word => Find(word, Enum.GetValues<BudgetUnit>(), Of),
    };

    /// <summary>An action from its word; null when it is none.</summary>
    public static BudgetAction? Action(string text) => Find(text, Enum.GetValues<BudgetAction>(), Of);

    private static T? Find<T>(string text, T[] values, Func<T, string> word)
        where T : struct
    {
        var trimmed = text.Trim();
        foreach (var value in values)
        {
            if (string.Equals(word(value), trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
