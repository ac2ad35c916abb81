using Tally.Cli.Tests.Harness;
using static Tally.Cli.Tests.Harness.JsonChecks;

namespace Tally.Cli.Tests.App;

public class ConfigTests
{
    private const string Config = """
        {
          // Comments and trailing commas are allowed.
          "timezone": "Pacific/Kiritimati",
          "startOfWeek": "thursday",
          "costMode": "calculate",
          "projectAliases": {
            "/home/alice/work/acme-api": "acme",
            "blog": "Blog",
          },
        }
        """;

    [Fact]
    public async Task Config_timezone_and_cost_mode_apply_and_flags_win()
    {
        using var cli = new TallyCli();
        cli.WriteConfig(Config);
        var result = await cli.RunAsync("daily", "--json");
        Assert.Equal(string.Empty, result.Error);
        var json = result.Json();
        Assert.Equal(["2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21"], json.GetProperty("daily").EnumerateArray().Select(static d => d.GetProperty("date").GetString()));
        Assert.Equal("Pacific/Kiritimati", json.GetProperty("tally").GetProperty("timezone").GetString());
        Assert.Equal("calculate", json.GetProperty("tally").GetProperty("costMode").GetString());
        Assert.Equal(0.422887m, TotalCost(json));

        var flags = (await cli.RunAsync("daily", "--json", "-z", "UTC", "--mode", "auto")).Json();
        Assert.Equal(2, flags.GetProperty("daily").GetArrayLength());
        Assert.Equal(0.469587m, TotalCost(flags));
    }

    [Fact]
    public async Task Config_start_of_week_applies_unless_the_flag_is_given()
    {
        using var cli = new TallyCli();
        cli.WriteConfig(Config);

        // In Kiritimati the calls fall on Wed 18, Thu 19, Fri 20 and Sat 21: Thursday weeks split them 1 + 3.
        var json = (await cli.RunAsync("weekly", "--json")).Json();
        var weeks = json.GetProperty("weekly").EnumerateArray().ToList();
        Assert.Equal(["2026-11-12", "2026-11-19"], weeks.Select(static w => w.GetProperty("week").GetString()));
        Assert.Equal(1, weeks[0].GetProperty("requests").GetInt64());
        Assert.Equal(7, weeks[1].GetProperty("requests").GetInt64());

        var monday = (await cli.RunAsync("weekly", "--json", "--start-of-week", "monday")).Json();
        Assert.Equal("2026-11-16", Assert.Single(monday.GetProperty("weekly").EnumerateArray()).GetProperty("week").GetString());
    }

    [Fact]
    public async Task Project_aliases_name_projects_and_filter_them()
    {
        using var cli = new TallyCli();
        cli.WriteConfig(Config);
        var json = (await cli.RunAsync("projects", "--json")).Json();
        var projects = json.GetProperty("projects").EnumerateArray().ToList();
        Assert.Equal(["acme", "Blog"], projects.Select(static p => p.GetProperty("project").GetString()));
        Assert.Equal(["/home/alice/work/acme-api", "/home/alice/work/blog"], projects.Select(static p => p.GetProperty("projectPath").GetString()));

        var blog = (await cli.RunAsync("daily", "--json", "--project", "Blog", "-z", "UTC")).Json();
        Assert.Equal(Prices.OpusFirst + Prices.OpusSecond + Prices.Unknown, TotalCost(blog));
        var acme = (await cli.RunAsync("session", "--json", "-p", "ACME")).Json();
        Assert.Equal("5f0c2c1e-7a7b-4f0e-9a57-1c2d3e4f5a6b", Assert.Single(acme.GetProperty("sessions").EnumerateArray()).GetProperty("sessionId").GetString());
    }

    [Fact]
    public async Task An_unknown_key_is_a_warning_and_the_run_succeeds()
    {
        using var cli = new TallyCli { Width = 1000 };
        var path = cli.WriteConfig("""{ "timezone": "UTC", "colour": "blue" }""");
        var result = await cli.RunAsync("daily", "--json");
        var json = result.Json();
        Assert.Contains($"warning: {path}: \"colour\" is not a setting Tally knows", result.Error, StringComparison.Ordinal);
        Assert.Equal("UTC", json.GetProperty("tally").GetProperty("timezone").GetString());
        Assert.Equal(0.469587m, TotalCost(json));
    }

    [Theory]
    [InlineData("""{ "startOfWeek": "someday" }""", "\"startOfWeek\": \"someday\" is not a valid value")]
    [InlineData("""{ "costMode": 3 }""", "\"costMode\" must be a string")]
    [InlineData("""{ "projectAliases": [ "blog" ] }""", "\"projectAliases\" must be an object")]
    [InlineData("""{ "timezone": "Mars/Base" }""", "\"timezone\": \"Mars/Base\" is not a time zone")]
    [InlineData("""{ "timezone": """, "cannot be read")]
    [InlineData("""[ "timezone" ]""", "must hold a JSON object")]
    public async Task A_bad_value_is_a_warning_naming_the_file_and_the_default_is_used(string content, string message)
    {
        using var cli = new TallyCli { Width = 1000 };
        var path = cli.WriteConfig(content);
        var result = await cli.RunAsync("weekly", "--json", "-z", "UTC");
        var json = result.Json();
        Assert.Contains($"warning: {path}", result.Error, StringComparison.Ordinal);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Equal("2026-11-16", Assert.Single(json.GetProperty("weekly").EnumerateArray()).GetProperty("week").GetString());
        Assert.Equal("auto", json.GetProperty("tally").GetProperty("costMode").GetString());
    }

    [Fact]
    public async Task A_bad_timezone_in_config_falls_back_to_the_local_zone()
    {
        using var cli = new TallyCli { LocalZone = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Kiritimati") };
        cli.WriteConfig("""{ "timezone": "Mars/Base" }""");
        var result = await cli.RunAsync("daily", "--json");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Pacific/Kiritimati", result.Json().GetProperty("tally").GetProperty("timezone").GetString());
    }

    [Fact]
    public async Task The_config_dir_follows_XDG_CONFIG_HOME_and_the_flag()
    {
        using var cli = new TallyCli();
        cli.Variables.Remove("TALLY_CONFIG_DIR");
        cli.Variables["XDG_CONFIG_HOME"] = Path.Combine(cli.Root, "xdg");
        cli.WriteFile("xdg/tally/config.json", """{ "timezone": "Pacific/Kiritimati" }""");
        Assert.Equal("Pacific/Kiritimati", (await cli.RunAsync("daily", "--json")).Json().GetProperty("tally").GetProperty("timezone").GetString());

        cli.WriteFile("elsewhere/config.json", """{ "timezone": "America/Los_Angeles" }""");
        var flagged = (await cli.RunAsync("daily", "--json", "--config-dir", Path.Combine(cli.Root, "elsewhere"))).Json();
        Assert.Equal("America/Los_Angeles", flagged.GetProperty("tally").GetProperty("timezone").GetString());

        cli.Variables.Remove("XDG_CONFIG_HOME");
        cli.WriteFile("home/.config/tally/config.json", """{ "timezone": "Asia/Tokyo" }""");
        Assert.Equal("Asia/Tokyo", (await cli.RunAsync("daily", "--json")).Json().GetProperty("tally").GetProperty("timezone").GetString());
    }
}
