using Tally.Core.Budgets;

namespace Tally.Storage.Tests.Budgets;

/// <summary>Day and month budgets sum exactly the usage between local midnights, on daylight-saving days too.</summary>
public class WindowTests
{
    private static readonly Budget Daily = new() { Name = "daily", Scope = BudgetScope.Day, Period = BudgetPeriod.Day, Limit = 100m };
    private static readonly Budget Monthly = new() { Name = "monthly", Scope = BudgetScope.Month, Period = BudgetPeriod.Month, Limit = 100m };

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    // Spring forward, 2026-03-29: the Berlin day is 2026-03-28T23:00Z .. 2026-03-29T22:00Z (23 hours).
    [InlineData("2026-03-29T12:00:00Z", 5, "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z")]
    [InlineData("2026-03-28T22:59:00Z", 1, "2026-03-27T23:00:00Z", "2026-03-28T23:00:00Z")]
    [InlineData("2026-03-29T22:00:00Z", 8, "2026-03-29T22:00:00Z", "2026-03-30T22:00:00Z")]
    // Fall back, 2026-10-25: 2026-10-24T22:00Z .. 2026-10-25T23:00Z (25 hours).
    [InlineData("2026-10-25T12:00:00Z", 50, "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z")]
    [InlineData("2026-10-24T21:59:59Z", 10, "2026-10-23T22:00:00Z", "2026-10-24T22:00:00Z")]
    [InlineData("2026-10-25T23:00:00Z", 80, "2026-10-25T23:00:00Z", "2026-10-26T23:00:00Z")]
    public async Task A_day_budget_sums_the_local_day_on_daylight_saving_changes(string now, decimal expected, string start, string end)
    {
        await using var world = new BudgetWorld(Utc(now));
        // A call each side of each midnight around both changes.
        await world.AddAsync(Utc("2026-03-28T22:59:00Z"), 1m); // 23:59 CET on the 28th
        await world.AddAsync(Utc("2026-03-28T23:00:00Z"), 2m); // 00:00 CET on the 29th
        await world.AddAsync(Utc("2026-03-29T21:59:00Z"), 3m); // 23:59 CEST on the 29th
        await world.AddAsync(Utc("2026-03-29T22:00:00Z"), 8m); // 00:00 CEST on the 30th
        await world.AddAsync(Utc("2026-10-24T21:59:00Z"), 10m); // 23:59 CEST on the 24th
        await world.AddAsync(Utc("2026-10-24T22:00:00Z"), 20m); // 00:00 CEST on the 25th
        await world.AddAsync(Utc("2026-10-25T01:30:00Z"), 25m); // 02:30 CET, the second 02:30 of the 25th
        await world.AddAsync(Utc("2026-10-25T22:59:00Z"), 5m); // 23:59 CET on the 25th
        await world.AddAsync(Utc("2026-10-25T23:00:00Z"), 80m); // 00:00 CET on the 26th

        var status = Assert.Single(await new BudgetEvaluator(world.Store, world.Clock, world.Settings).EvaluateAsync([Daily], CancellationToken.None));
        Assert.Equal(expected, status.Used);
        Assert.Equal(new BudgetWindow(Utc(start), Utc(end)), status.Window);
    }

    [Fact]
    public async Task A_month_budget_sums_the_local_month()
    {
        await using var world = new BudgetWorld(Utc("2026-03-15T12:00:00Z"));
        await world.AddAsync(Utc("2026-02-28T22:59:00Z"), 1m); // 23:59 on 28 February in Berlin
        await world.AddAsync(Utc("2026-02-28T23:00:00Z"), 2m); // 00:00 on 1 March
        await world.AddAsync(Utc("2026-03-31T21:59:00Z"), 3m); // 23:59 on 31 March (CEST)
        await world.AddAsync(Utc("2026-03-31T22:00:00Z"), 4m); // 00:00 on 1 April
        var status = Assert.Single(await new BudgetEvaluator(world.Store, world.Clock, world.Settings).EvaluateAsync([Monthly], CancellationToken.None));
        Assert.Equal(5m, status.Used);
        Assert.Equal(new BudgetWindow(Utc("2026-02-28T23:00:00Z"), Utc("2026-03-31T22:00:00Z")), status.Window);
    }

    [Fact]
    public async Task The_time_zone_decides_the_day()
    {
        await using var world = new BudgetWorld(Utc("2026-03-29T12:00:00Z"));
        await world.AddAsync(Utc("2026-03-28T23:30:00Z"), 2m); // the 29th in Berlin, the 28th in UTC
        var evaluate = (TimeZoneInfo zone) => new BudgetEvaluator(world.Store, world.Clock, world.Settings with { Zone = zone }).EvaluateAsync([Daily], CancellationToken.None);
        Assert.Equal(2m, Assert.Single(await evaluate(BudgetWorld.Berlin)).Used);
        Assert.Equal(0m, Assert.Single(await evaluate(TimeZoneInfo.Utc)).Used);
    }
}
