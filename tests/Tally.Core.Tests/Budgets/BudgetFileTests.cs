using Tally.Core.Budgets;

namespace Tally.Core.Tests.Budgets;

public class BudgetFileTests
{
    [Fact]
    public void Written_budgets_read_back_the_same_with_defaults_filled_in()
    {
        var budgets = new[]
        {
            new Budget { Name = "daily", Scope = BudgetScope.Day, Period = BudgetPeriod.Day, Limit = 20m },
            new Budget { Name = "acme", Scope = BudgetScope.Project, Target = "acme", Period = BudgetPeriod.Month, Limit = 1_000_000m, Unit = BudgetUnit.Tokens, Thresholds = [25m, 100m], Action = BudgetAction.Pause },
            new Budget { Name = "plan-5h", Scope = BudgetScope.Plan, Period = BudgetPeriod.FiveHour, Unit = BudgetUnit.Percent, Limit = 90m, Action = BudgetAction.Stop },
        };
        var text = BudgetFile.Write(budgets);
        var errors = new List<string>();
        var read = BudgetFile.Read(text, "budgets.json", errors);
        Assert.Empty(errors);
        Assert.Equal(budgets.Length, read.Count);
        for (var i = 0; i < budgets.Length; i++)
        {
            Assert.Equal(budgets[i] with { Thresholds = [] }, read[i] with { Thresholds = [] });
            Assert.Equal(budgets[i].Thresholds, read[i].Thresholds);
        }

        Assert.Equal(text, BudgetFile.Write(read));
    }

    [Fact]
    public void A_hand_written_file_may_leave_out_defaults_and_use_comments()
    {
        var errors = new List<string>();
        var read = BudgetFile.Read(
            """
            {
              // per session, pause at the limit
              "budgets": [
                { "name": "per-session", "scope": "session", "limit": 5, "action": "pause", "thresholds": [100, 80] },
                { "name": "fix-auth", "scope": "agent", "target": "fix-auth", "limit": 2.5, },
              ],
            }
            """,
            "budgets.json",
            errors);
        Assert.Empty(errors);
        Assert.Equal(BudgetPeriod.Total, read[0].Period);
        Assert.Equal(BudgetUnit.Usd, read[0].Unit);
        Assert.Equal([80m, 100m], read[0].Thresholds);
        Assert.Equal(BudgetAction.Pause, read[0].Action);
        Assert.Equal(BudgetPeriod.Day, read[1].Period);
        Assert.Equal(Budget.DefaultThresholds, read[1].Thresholds);
        Assert.Equal(2.5m, read[1].Limit);
    }

    [Theory]
    [InlineData("""{ "name": "a", "scope": "week", "limit": 1 }""", "\"scope\": \"week\" is not one of")]
    [InlineData("""{ "name": "a", "scope": "day", "limit": "ten" }""", "\"limit\" must be a number")]
    [InlineData("""{ "name": "a", "scope": "day" }""", "\"limit\" is missing")]
    [InlineData("""{ "name": "a", "scope": "day", "limit": 0 }""", "the limit must be above zero")]
    [InlineData("""{ "name": "a b", "scope": "day", "limit": 1 }""", "the name \"a b\" must be")]
    [InlineData("""{ "name": "a", "scope": "day", "limit": 1, "period": "month" }""", "a day budget is summed per day, not per month")]
    [InlineData("""{ "name": "a", "scope": "day", "limit": 1, "target": "x" }""", "a day budget has no target")]
    [InlineData("""{ "name": "a", "scope": "session", "limit": 1, "unit": "percent" }""", "percent budgets are for the plan's windows")]
    [InlineData("""{ "name": "a", "scope": "plan", "limit": 90 }""", "a plan budget is in percent")]
    [InlineData("""{ "name": "a", "scope": "day", "limit": 1.5, "unit": "tokens" }""", "a token limit is a whole number")]
    [InlineData("""{ "name": "a", "scope": "day", "limit": 1, "thresholds": [0, 50] }""", "thresholds are percentages")]
    [InlineData("""{ "name": "a", "scope": "day", "limit": 1, "action": "explode" }""", "\"action\": \"explode\" is not one of warn, pause or stop")]
    public void A_bad_budget_is_reported_with_its_place_and_left_out_while_the_others_are_kept(string bad, string message)
    {
        var errors = new List<string>();
        var read = BudgetFile.Read($$"""{ "budgets": [ {{bad}}, { "name": "ok", "scope": "month", "limit": 100 } ] }""", "/c/budgets.json", errors);
        var error = Assert.Single(errors);
        Assert.StartsWith("/c/budgets.json: budgets[0]", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal("ok", Assert.Single(read).Name);
    }

    [Theory]
    [InlineData("{ \"budgets\": ", "cannot be read")]
    [InlineData("[]", "must hold an object with a \"budgets\" array")]
    [InlineData("{ \"budget\": [] }", "must hold an object with a \"budgets\" array")]
    public void A_file_that_cannot_be_read_checks_no_budget(string text, string message)
    {
        var errors = new List<string>();
        Assert.Empty(BudgetFile.Read(text, "budgets.json", errors));
        Assert.Contains(message, Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_used_twice_keeps_the_first_and_an_unknown_key_is_reported()
    {
        var errors = new List<string>();
        var read = BudgetFile.Read(
            """{ "budgets": [ { "name": "a", "scope": "day", "limit": 1, "colour": "red" }, { "name": "A", "scope": "month", "limit": 2 } ] }""",
            "budgets.json",
            errors);
        Assert.Equal(BudgetScope.Day, Assert.Single(read).Scope);
        Assert.Equal(2, errors.Count);
        Assert.Contains("\"colour\" is not a budget setting", errors[0], StringComparison.Ordinal);
        Assert.Contains("budgets[1]: the name \"A\" is used twice", errors[1], StringComparison.Ordinal);
    }
}
