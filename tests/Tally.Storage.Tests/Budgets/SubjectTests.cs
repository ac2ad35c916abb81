using Tally.Core.Alerts;
using Tally.Core.Budgets;

namespace Tally.Storage.Tests.Budgets;

/// <summary>Session, project, agent and plan budgets, tokens, projections and rate-limit hits.</summary>
public class SubjectTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero); // 13:00 in Berlin

    [Fact]
    public async Task A_budget_for_each_session_sees_sessions_active_lately_with_their_whole_usage()
    {
        await using var world = new BudgetWorld(Noon);
        await world.AddAsync(Noon.AddHours(-2), 3m, session: "small");
        await world.AddAsync(Noon.AddHours(-2), 6m, session: "big");
        await world.AddAsync(Noon.AddDays(-3), 10m, session: "old"); // idle for three days: cannot cross anything now
        await world.AddAsync(Noon.AddDays(-2), 4m, session: "long"); // began two days ago, still running
        await world.AddAsync(Noon.AddHours(-1), 2m, session: "long");
        var budget = new Budget { Name = "per-session", Scope = BudgetScope.Session, Period = BudgetPeriod.Total, Limit = 5m };

        var statuses = await new BudgetEvaluator(world.Store, world.Clock, world.Settings).EvaluateAsync([budget], CancellationToken.None);
        Assert.Equal(["big", "long", "small"], statuses.Select(static s => s.Subject));
        Assert.Equal([6m, 6m, 3m], statuses.Select(static s => s.Used!.Value));
        Assert.All(statuses, s => Assert.Equal(BudgetWindow.Lifetime, s.Window));

        var one = await new BudgetEvaluator(world.Store, world.Clock, world.Settings).EvaluateAsync([budget with { Target = "old" }], CancellationToken.None);
        Assert.Equal(10m, Assert.Single(one).Used);
    }

    [Fact]
    public async Task A_project_budget_names_its_project_by_path_folder_or_alias_and_each_project_is_separate()
    {
        await using var world = new BudgetWorld(Noon);
        world.Settings = world.Settings with { ProjectAliases = new Dictionary<string, string>(StringComparer.Ordinal) { ["/p/acme-api"] = "acme" } };
        await world.AddAsync(Noon.AddHours(-3), 4m, project: "/p/acme-api");
        await world.AddAsync(Noon.AddDays(-2), 3m, project: "/p/acme-api");
        await world.AddAsync(Noon.AddHours(-3), 1m, project: "/p/blog");
        await world.AddAsync(Noon.AddDays(-25), 50m, project: "/p/acme-api"); // October
        var evaluator = new BudgetEvaluator(world.Store, world.Clock, world.Settings);
        var monthly = new Budget { Name = "acme", Scope = BudgetScope.Project, Period = BudgetPeriod.Month, Limit = 10m };

        foreach (var name in new[] { "acme", "ACME", "acme-api", "/p/acme-api/" })
        {
            Assert.Equal(7m, Assert.Single(await evaluator.EvaluateAsync([monthly with { Target = name }], CancellationToken.None)).Used);
        }

        Assert.Equal(4m, Assert.Single(await evaluator.EvaluateAsync([monthly with { Target = "acme", Period = BudgetPeriod.Day }], CancellationToken.None)).Used);
        var each = await evaluator.EvaluateAsync([monthly], CancellationToken.None);
        Assert.Equal(["/p/acme-api", "/p/blog"], each.Select(static s => s.Subject));
        Assert.Equal(["acme", "/p/blog"], each.Select(static s => s.SubjectLabel));
        Assert.Equal([7m, 1m], each.Select(static s => s.Used!.Value));
    }

    [Fact]
    public async Task An_agent_budget_follows_the_working_directory_and_a_token_budget_counts_tokens()
    {
        await using var world = new BudgetWorld(Noon);
        await world.AddAsync(Noon.AddHours(-3), 3m, cwd: "/p/app/.worktrees/fix-auth");
        await world.AddAsync(Noon.AddHours(-2), 1m, cwd: "/p/app");
        var agent = new Budget { Name = "fix-auth", Scope = BudgetScope.Agent, Target = "fix-auth", Period = BudgetPeriod.Day, Limit = 2m, Action = BudgetAction.Stop };
        var tokens = new Budget { Name = "tokens", Scope = BudgetScope.Agent, Period = BudgetPeriod.Day, Unit = BudgetUnit.Tokens, Limit = 2_000_000m };
        var statuses = await new BudgetEvaluator(world.Store, world.Clock, world.Settings).EvaluateAsync([agent, tokens, agent with { Target = "/p/app/.worktrees/fix-auth" }], CancellationToken.None);

        Assert.Equal(3m, statuses[0].Used);
        Assert.Equal(BudgetAction.Stop, statuses[0].ActionDue);
        Assert.Equal(["/p/app", "/p/app/.worktrees/fix-auth"], statuses.Skip(1).Take(2).Select(static s => s.Subject));
        Assert.Equal([1_000_000m, 3_000_000m], statuses.Skip(1).Take(2).Select(static s => s.Used!.Value));
        Assert.Equal(150m, statuses[2].Percent);
        Assert.Equal(3m, statuses[3].Used);
    }

    [Fact]
    public async Task A_projected_overrun_alerts_once_with_the_time_the_limit_is_reached()
    {
        await using var world = new BudgetWorld(Noon);
        var channel = new RecordingChannel();
        var monitor = world.Monitor(channels: channel);
        var daily = new Budget { Name = "daily", Scope = BudgetScope.Day, Period = BudgetPeriod.Day, Limit = 20m };
        await world.AddAsync(Noon.AddHours(-6), 8m);
        await world.AddAsync(Noon.AddMinutes(-30), 4m); // the last hour: $4/h

        var check = await monitor.CheckAsync([daily], CancellationToken.None);
        var status = Assert.Single(check.Statuses);
        Assert.Equal(4m, status.BurnPerHour);
        Assert.Equal(Noon.AddHours(2), status.ProjectedAt);
        var projected = check.Raised.Single(static a => a.Kind == AlertKind.Projected);
        Assert.Equal("Budget daily: at this rate ($4.00/h) the limit of $20.00 per day is reached at 15:00 ($12.00 used on 2026-11-20).", projected.Message);
        Assert.Equal(50m, check.Raised.Single(static a => a.Kind == AlertKind.Threshold).Threshold);

        // Still on course a little later: the same window's projection is not raised again.
        world.Clock.Now = Noon.AddMinutes(10);
        await world.AddAsync(Noon.AddMinutes(5), 0.5m);
        Assert.Empty((await monitor.CheckAsync([daily], CancellationToken.None)).Raised);
        await monitor.DrainAsync();
        Assert.Single(channel.Alerts, static a => a.Kind == AlertKind.Projected);
    }

    [Fact]
    public async Task A_slow_burn_that_reaches_the_limit_only_after_midnight_raises_no_projection()
    {
        await using var world = new BudgetWorld(Noon);
        await world.AddAsync(Noon.AddMinutes(-30), 1m); // $1/h from $1: $20 would take 19 more hours, the day has 11 left
        var daily = new Budget { Name = "daily", Scope = BudgetScope.Day, Period = BudgetPeriod.Day, Limit = 20m };
        var check = await world.Monitor(channels: new RecordingChannel()).CheckAsync([daily], CancellationToken.None);
        Assert.Null(Assert.Single(check.Statuses).ProjectedAt);
        Assert.Empty(check.Raised);
    }

    [Fact]
    public async Task A_plan_budget_uses_the_supplied_utilisation_and_says_when_there_is_none()
    {
        await using var world = new BudgetWorld(Noon);
        var plan = new Budget { Name = "plan-5h", Scope = BudgetScope.Plan, Period = BudgetPeriod.FiveHour, Unit = BudgetUnit.Percent, Limit = 90m, Action = BudgetAction.Pause };
        var channel = new RecordingChannel();

        var none = await world.Monitor(channels: channel).CheckAsync([plan], CancellationToken.None);
        Assert.Null(Assert.Single(none.Statuses).Used);
        Assert.Contains("no plan utilisation figure", none.Statuses[0].Note, StringComparison.Ordinal);
        Assert.Empty(none.Raised);

        var window = new BudgetWindow(Noon.AddHours(-2), Noon.AddHours(3));
        world.Settings = world.Settings with { Plan = new FixedPlan(new PlanUtilisation(91.5m, window, "status line")) };
        var check = await world.Monitor(channels: channel).CheckAsync([plan], CancellationToken.None);
        var status = Assert.Single(check.Statuses);
        Assert.Equal(BudgetAction.Pause, status.ActionDue);
        Assert.Equal(window, status.Window);
        Assert.Equal("utilisation from status line", status.Note);
        var sent = check.Raised.Single(static a => a.Suppressed is null);
        Assert.Equal(100m, sent.Threshold);
        Assert.Equal("Budget plan-5h: limit of 90% of the 5-hour window reached (91.5%, window resets at 16:00); action: pause.", sent.Message);
    }

    [Fact]
    public async Task A_rate_limit_hit_alerts_once_per_limit_and_reset_and_not_at_all_when_turned_off()
    {
        await using var world = new BudgetWorld(Noon);
        var channel = new RecordingChannel();
        var monitor = world.Monitor(channels: channel);
        var hit = new RateLimitHit { Source = RateLimitSource.LimitLine, Window = "five-hour", ObservedAt = Noon, ResetsAt = Noon.AddHours(2), Detail = "Claude AI usage limit reached|1795190400" };

        var first = await monitor.RateLimitHitAsync(hit, CancellationToken.None);
        Assert.NotNull(first);
        Assert.Null(await monitor.RateLimitHitAsync(hit with { ObservedAt = Noon.AddMinutes(3) }, CancellationToken.None));
        Assert.NotNull(await monitor.RateLimitHitAsync(hit with { ResetsAt = Noon.AddHours(7) }, CancellationToken.None));
        await monitor.DrainAsync();
        Assert.Equal(2, channel.Alerts.Count);

        var stored = (await world.Store.AlertsAsync(null, null, CancellationToken.None))[0];
        Assert.Equal(AlertKind.RateLimit, stored.Kind);
        Assert.Equal(hit, stored.RateLimit);

        var off = world.Monitor(rateLimits: false, channels: channel);
        Assert.Null(await off.RateLimitHitAsync(hit with { ResetsAt = Noon.AddHours(12) }, CancellationToken.None));
        Assert.Equal(2, (await world.Store.AlertsAsync(null, null, CancellationToken.None)).Count);
    }

    private sealed class FixedPlan(PlanUtilisation utilisation) : IPlanUtilisationSource
    {
        public ValueTask<PlanUtilisation?> GetAsync(BudgetPeriod period, DateTimeOffset now, CancellationToken cancellationToken) =>
            ValueTask.FromResult<PlanUtilisation?>(period == BudgetPeriod.FiveHour ? utilisation : null);
    }
}
