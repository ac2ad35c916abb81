using Tally.Core.Limits;

namespace Tally.Core.Tests.Limits;

public class PlanFileTests
{
    [Fact]
    public void The_defaults_hold_the_five_plans_with_the_monitors_5_hour_figures()
    {
        var plans = PlanFile.Defaults;
        Assert.Equal("custom", plans.Selected);
        Assert.Equal(["custom", "max20", "max5", "pro", "team"], plans.Plans.Keys.Order(StringComparer.Ordinal));
        var pro = plans.Find("pro")!;
        Assert.Equal((18m, 250L, 19_000L), (pro.FiveHourCostUsd!.Value, pro.FiveHourMessages!.Value, pro.FiveHourTokens!.Value));
        Assert.Equal(35m, plans.Find("max5")!.FiveHourCostUsd);
        Assert.Equal(140m, plans.Find("max20")!.FiveHourCostUsd);
        Assert.Null(plans.Find("custom")!.FiveHourCostUsd);
        Assert.All(plans.Plans.Values, static p => Assert.Null(p.WeeklyCostUsd));
        Assert.Equal(["opus"], plans.Find("max20")!.ModelWeeklyCostUsd.Keys);
    }

    [Fact]
    public void A_users_file_selects_a_plan_overrides_figures_and_adds_plans()
    {
        var errors = new List<string>();
        var settings = PlanFile.Read("""
            {
              // my own
              "plan": "mine",
              "weeklyReset": "thu 18:00 Europe/Paris",
              "plans": {
                "max5": { "label": "Max 5x", "fiveHour": { "costUsd": 40 }, "weekly": { "costUsd": 900 } },
                "mine": { "fiveHour": { "costUsd": 12.5, "messages": 100 }, "models": { "opus": { "weeklyCostUsd": 50 } } },
              }
            }
            """, "plans.json", errors);
        Assert.Empty(errors);
        Assert.Equal("mine", settings.Selected);
        Assert.Equal("thu 18:00 Europe/Paris", settings.WeeklyReset);
        Assert.Equal((12.5m, 100L), (settings.Find()!.FiveHourCostUsd!.Value, settings.Find()!.FiveHourMessages!.Value));
        Assert.Equal(50m, settings.Find()!.ModelWeeklyCostUsd["opus"]);
        Assert.Equal((40m, 900m), (settings.Find("max5")!.FiveHourCostUsd!.Value, settings.Find("max5")!.WeeklyCostUsd!.Value));
        Assert.Equal(140m, settings.Find("max20")!.FiveHourCostUsd); // the built-ins stay
    }

    [Fact]
    public void Every_problem_is_reported_with_the_file_and_field_and_the_rest_is_kept()
    {
        var errors = new List<string>();
        var settings = PlanFile.Read("""
            { "plan": "max50", "weeklyReset": "someday", "colour": "blue",
              "plans": { "pro": { "fiveHour": { "costUsd": -3, "messages": "many" }, "speed": 1 } } }
            """, "/c/plans.json", errors);
        Assert.Equal("custom", settings.Selected);
        Assert.Null(settings.WeeklyReset);
        Assert.Null(settings.Find("pro")!.FiveHourCostUsd);
        Assert.Contains(errors, static e => e.Contains("\"plan\" names \"max50\"", StringComparison.Ordinal));
        Assert.Contains(errors, static e => e.Contains("\"weeklyReset\" \"someday\"", StringComparison.Ordinal));
        Assert.Contains(errors, static e => e.Contains("\"colour\" is not a setting", StringComparison.Ordinal));
        Assert.Contains(errors, static e => e.Contains("plans.\"pro\".fiveHour.costUsd must be a positive number", StringComparison.Ordinal));
        Assert.Contains(errors, static e => e.Contains("plans.\"pro\".fiveHour.messages", StringComparison.Ordinal));
        Assert.Contains(errors, static e => e.Contains("plans.\"pro\".speed", StringComparison.Ordinal));
        Assert.All(errors, static e => Assert.StartsWith("/c/plans.json", e, StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_that_is_not_json_gives_the_defaults()
    {
        var errors = new List<string>();
        Assert.Same(PlanFile.Defaults, PlanFile.Read("{ nope", "p.json", errors));
        Assert.Single(errors);
    }
}
