using System.Globalization;

namespace Tally.Core.Budgets;

/// <summary>How budget figures read in messages: <c>$16.42</c>, <c>1,250,000 tokens</c>, <c>72.5%</c>.</summary>
public static class BudgetFormat
{
    /// <summary>An amount in <paramref name="unit"/>.</summary>
    public static string Amount(decimal value, BudgetUnit unit) => unit switch
    {
        BudgetUnit.Usd => value is > 0m and < 0.005m ? "<$0.01" : "$" + Math.Round(value, 2, MidpointRounding.AwayFromZero).ToString("N2", CultureInfo.InvariantCulture),
        BudgetUnit.Tokens => Math.Round(value, 0, MidpointRounding.AwayFromZero).ToString("N0", CultureInfo.InvariantCulture) + " tokens",
        _ => Percent(value),
    };

    /// <summary>A percentage, to one decimal at most: <c>80%</c>, <c>72.5%</c>.</summary>
    public static string Percent(decimal value) => Math.Round(value, 1, MidpointRounding.AwayFromZero).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>A budget's limit with its window: <c>$20.00 per day</c>, <c>90% of the 5-hour window</c>.</summary>
    public static string Limit(Budget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var amount = Amount(budget.Limit, budget.Unit);
        return budget.Period switch
        {
            BudgetPeriod.Day => amount + " per day",
            BudgetPeriod.Month => amount + " per month",
            BudgetPeriod.Total => amount + " per session",
            BudgetPeriod.FiveHour => amount + " of the 5-hour window",
            _ => amount + " of the weekly window",
        };
    }

    /// <summary>What a budget's status is about, for people: <c>session 5f0c2c1e</c>, <c>project acme</c>,
    /// <c>agent fix-auth</c>; empty for day, month and plan budgets.</summary>
    public static string Subject(BudgetScope scope, string? subject, string? label)
    {
        if (subject is null)
        {
            return string.Empty;
        }

        return scope switch
        {
            BudgetScope.Session => "session " + (subject.Length > 8 ? subject[..8] : subject),
            BudgetScope.Project => "project " + (label ?? subject),
            BudgetScope.Agent => "agent " + BudgetSubjects.LastFolder(label ?? subject),
            _ => subject,
        };
    }

    /// <summary>An instant as a local time of day, with the date when it is not on <paramref name="reference"/>'s day.</summary>
    public static string Time(DateTimeOffset instant, DateTimeOffset reference, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var sameDay = LocalCalendar.DayOf(instant, zone) == LocalCalendar.DayOf(reference, zone);
        return local.ToString(sameDay ? "HH:mm" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }
}
