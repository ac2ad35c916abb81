using Tally.Core.Alerts;
using Tally.Core.Budgets;

namespace Tally.Core.Tests.Budgets;

public class AlertFactoryTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly DateTimeOffset Now = new(2026, 3, 29, 12, 0, 0, TimeSpan.Zero); // 14:00 CEST
    private static readonly Budget Daily = new() { Name = "daily", Scope = BudgetScope.Day, Period = BudgetPeriod.Day, Limit = 20m, Action = BudgetAction.Pause };

    private static AlertFactory Factory => new(Berlin, new Clock(Now));

    [Fact]
    public void Each_threshold_reached_gives_an_alert_keyed_by_budget_limit_threshold_and_window_start()
    {
        var status = new BudgetStatus { Budget = Daily, Window = LocalCalendar.Day(Now, Berlin), Used = 16.5m };
        var alerts = Factory.ForBudgets([status]);
        Assert.Equal([50m, 80m], alerts.Select(static a => a.Threshold!.Value));
        Assert.All(alerts, a => Assert.Equal(AlertKind.Threshold, a.Kind));
        var start = new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal($"budget|daily|usd20|-|t80|{start}", alerts[1].Key);
        Assert.Equal("Budget daily: 80% of $20.00 per day used ($16.50 on 2026-03-29).", alerts[1].Message);
    }

    [Fact]
    public void The_limit_alert_names_the_action()
    {
        var status = new BudgetStatus { Budget = Daily, Window = LocalCalendar.Day(Now, Berlin), Used = 20m };
        Assert.Equal(BudgetAction.Pause, status.ActionDue);
        var limit = Factory.ForBudgets([status]).Single(static a => a.Threshold == 100m);
        Assert.Equal("Budget daily: limit of $20.00 per day reached ($20.00 on 2026-03-29); action: pause.", limit.Message);
    }

    [Fact]
    public void A_projection_says_when_at_this_rate_in_the_budget_time_zone()
    {
        var window = LocalCalendar.Day(Now, Berlin);
        var projected = BudgetEvaluator.Projection(12m, 20m, 4m, Now, window.End);
        Assert.Equal(Now.AddHours(2), projected);
        var status = new BudgetStatus { Budget = Daily, Window = window, Used = 12m, BurnPerHour = 4m, ProjectedAt = projected };
        var alert = Factory.ForBudgets([status]).Single(static a => a.Kind == AlertKind.Projected);
        Assert.Equal("Budget daily: at this rate ($4.00/h) the limit of $20.00 per day is reached at 16:00 ($12.00 used on 2026-03-29).", alert.Message);
        Assert.EndsWith($"|projected|{window.Start.ToUnixTimeMilliseconds()}", alert.Key, StringComparison.Ordinal);
    }

    [Fact]
    public void No_projection_past_the_window_end_or_the_lifetime_horizon_or_without_burn()
    {
        var end = LocalCalendar.Day(Now, Berlin).End;
        Assert.Null(BudgetEvaluator.Projection(0m, 20m, 1m, Now, end)); // 20 h away, the day ends in 10
        Assert.Null(BudgetEvaluator.Projection(12m, 20m, 0m, Now, end));
        Assert.Null(BudgetEvaluator.Projection(20m, 20m, 5m, Now, end));
        Assert.Equal(Now.AddMinutes(30), BudgetEvaluator.Projection(4m, 5m, 2m, Now, null));
        Assert.Null(BudgetEvaluator.Projection(1m, 5m, 2m, Now, null)); // two hours away: beyond the one-hour horizon
    }

    [Fact]
    public void Subjects_are_named_for_people_and_keyed_exactly()
    {
        var perSession = new Budget { Name = "per-session", Scope = BudgetScope.Session, Period = BudgetPeriod.Total, Limit = 5m };
        var status = new BudgetStatus { Budget = perSession, Window = BudgetWindow.Lifetime, Subject = "5f0c2c1e-7a7b-4f0e-9a57-1c2d3e4f5a6b", SubjectLabel = "5f0c2c1e-7a7b-4f0e-9a57-1c2d3e4f5a6b", Used = 2.5m };
        var alert = Assert.Single(Factory.ForBudgets([status]));
        Assert.Equal("Budget per-session (session 5f0c2c1e): 50% of $5.00 per session used ($2.50).", alert.Message);
        Assert.Equal("budget|per-session|usd5|5f0c2c1e-7a7b-4f0e-9a57-1c2d3e4f5a6b|t50|0", alert.Key);

        var tokens = new Budget { Name = "agent-tokens", Scope = BudgetScope.Agent, Period = BudgetPeriod.Day, Unit = BudgetUnit.Tokens, Limit = 2_000_000m };
        var agent = new BudgetStatus { Budget = tokens, Window = LocalCalendar.Day(Now, Berlin), Subject = "/src/app/.worktrees/fix-auth", SubjectLabel = "/src/app/.worktrees/fix-auth", Used = 1_000_000m };
        Assert.Equal("Budget agent-tokens (agent fix-auth): 50% of 2,000,000 tokens per day used (1,000,000 tokens on 2026-03-29).", Assert.Single(Factory.ForBudgets([agent])).Message);
    }

    [Fact]
    public void A_percent_budget_without_a_utilisation_figure_raises_nothing()
    {
        var plan = new Budget { Name = "plan", Scope = BudgetScope.Plan, Period = BudgetPeriod.FiveHour, Unit = BudgetUnit.Percent, Limit = 90m };
        Assert.Empty(Factory.ForBudgets([new BudgetStatus { Budget = plan, Window = BudgetWindow.Lifetime, Note = "no figure" }]));
    }

    [Fact]
    public void A_rate_limit_hit_is_keyed_by_its_limit_and_reset_time()
    {
        var hit = new RateLimitHit { Source = RateLimitSource.LimitLine, Window = "five-hour", ObservedAt = Now, ResetsAt = Now.AddHours(2).AddMinutes(40) };
        var alert = Factory.ForRateLimit(hit);
        Assert.Equal($"rate-limit|five-hour|{Now.AddHours(2).AddMinutes(40).ToUnixTimeMilliseconds()}", alert.Key);
        Assert.Equal("Rate limit hit: the five-hour limit was reached (a limit line in a transcript); resets at 16:40.", alert.Message);
        Assert.Equal(Factory.ForRateLimit(hit with { ObservedAt = Now.AddMinutes(5) }).Key, alert.Key);

        // Without a reset time: once per hour.
        var http = new RateLimitHit { Source = RateLimitSource.Http429, ObservedAt = Now.AddMinutes(10), Subject = "agent fix-auth" };
        Assert.Equal(Factory.ForRateLimit(http with { ObservedAt = Now.AddMinutes(50) }).Key, Factory.ForRateLimit(http).Key);
        Assert.NotEqual(Factory.ForRateLimit(http with { ObservedAt = Now.AddMinutes(70) }).Key, Factory.ForRateLimit(http).Key);
        Assert.Equal("Rate limit hit by agent fix-auth: the rate limit was reached (an HTTP 429 answer).", Factory.ForRateLimit(http).Message);
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
