using System.Net;
using System.Text.RegularExpressions;
using Tally.Server.Tests.Harness;

namespace Tally.Server.Tests.Cli;

/// <summary><c>tally serve</c> run in-process: it serves the index the other commands use, and refuses unsafe setups.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public partial class ServeCommandTests
{
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Serve_answers_with_the_same_totals_as_daily_and_stops_on_cancel()
    {
        using var cli = new TallyCli(TestData.ClaudeSample, new FakeClock(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)));
        var daily = await cli.JsonAsync("daily", "--json");
        var (code, address, output) = await ServeAsync(cli, ["serve", "--port", "0"], async address =>
        {
            using var client = new HttpClient { BaseAddress = address };
            var costs = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/api/costs")).RootElement;
            Assert.Equal(daily.GetProperty("totals").GetProperty("totalCost").GetDecimal(), costs.GetProperty("totals").GetProperty("totalCost").GetDecimal());
        });

        Assert.Equal(0, code);
        Assert.Equal("127.0.0.1", address!.Host);
        Assert.Contains("Syncing as transcripts change.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limits_budgets_and_alerts_answer_the_documents_their_commands_print()
    {
        using var cli = new TallyCli(TestData.ClaudeSample, new FakeClock(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(0, (await cli.RunAsync(["budget", "set", "daily", "--scope", "day", "--limit", "0.01"])).Code);
        Assert.Equal(0, (await cli.RunAsync(["budget", "set", "week", "--scope", "plan", "--per", "weekly", "--limit", "1"])).Code);
        var limits = await cli.JsonAsync("limits", "--json");
        var budgets = await cli.JsonAsync("budget", "list", "--json");
        var alerts = await cli.JsonAsync("alerts", "--json");
        Assert.NotEqual(0, alerts.GetProperty("alerts").GetArrayLength());
        Assert.Equal(2, budgets.GetProperty("budgets").GetArrayLength());

        var (code, _, _) = await ServeAsync(cli, ["serve", "--port", "0", "--no-sync"], async address =>
        {
            using var client = new HttpClient { BaseAddress = address };
            AssertSameJson(limits, await client.GetStringAsync("/api/limits"));
            AssertSameJson(budgets, await client.GetStringAsync("/api/budgets"));
            AssertSameJson(alerts, await client.GetStringAsync("/api/alerts"));
            using var unknown = await client.GetAsync("/api/limits?plan=platinum");
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Contains("\"plan\"", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var none = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/api/alerts?start_date=2020-01-01&end_date=2020-01-02")).RootElement;
            Assert.Equal(0, none.GetProperty("alerts").GetArrayLength());
        });

        Assert.Equal(0, code);
    }

    /// <summary>Several connections answer a page's burst of requests with exactly the documents one connection gives.</summary>
    [Fact]
    public async Task Several_reader_connections_answer_concurrent_requests_as_one_connection_does()
    {
        using var cli = new TallyCli(TestData.ClaudeSample, new FakeClock(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)));
        Directory.CreateDirectory(cli.ConfigDir);
        string[] paths = ["/api/costs?group_by=model", "/api/costs/projects", "/api/stats/sessions?sort=cost", "/api/stats/tools", "/api/stats", "/api/agents?start_date=2026-01-01"];
        async Task<(string[] Answers, string Output)> AnswersAsync(int readers)
        {
            await File.WriteAllTextAsync(Path.Combine(cli.ConfigDir, "config.json"), $"{{\"serve\": {{\"readers\": {readers}}}}}");
            string[] answers = [];
            var (code, _, output) = await ServeAsync(cli, ["serve", "--port", "0", "--no-sync"], async address =>
            {
                using var client = new HttpClient { BaseAddress = address };
                answers = await Task.WhenAll(Enumerable.Range(0, 4).SelectMany(_ => paths).Select(p => client.GetStringAsync(p)));
            });
            Assert.Equal(0, code);
            return (answers, output);
        }

        Assert.Equal(0, (await cli.RunAsync(["sync"])).Code);
        var (one, oneOutput) = await AnswersAsync(1);
        var (three, threeOutput) = await AnswersAsync(3);
        Assert.DoesNotContain("side by side", oneOutput, StringComparison.Ordinal);
        Assert.Contains("3 connections read the index side by side.", threeOutput, StringComparison.Ordinal);
        for (var i = 0; i < one.Length; i++)
        {
            AssertSameJson(System.Text.Json.JsonDocument.Parse(one[i]).RootElement, three[i]);
        }
    }

    [Fact]
    public async Task Serve_checks_the_budgets_after_its_own_syncs()
    {
        using var temp = new TempDirectory();
        var claude = Path.Combine(temp.Path, "claude");
        var project = Directory.CreateDirectory(Path.Combine(claude, "projects", "-home-alice-work-blog")).FullName;
        using var cli = new TallyCli(claude, new FakeClock(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(0, (await cli.RunAsync(["budget", "set", "daily", "--scope", "day", "--limit", "0.001"])).Code);

        var (code, _, _) = await ServeAsync(cli, ["serve", "--port", "0"], async address =>
        {
            using var client = new HttpClient { BaseAddress = address };
            Assert.Equal(0, Alerts(await client.GetStringAsync("/api/alerts")));

            // A call arrives while serve runs: its watcher syncs it, and the check that follows raises the alert.
            await File.AppendAllTextAsync(Path.Combine(project, "9b1e4d2a-3c4f-4a5b-8c6d-7e8f9a0b1c2d.jsonl"), Line("msg_01ServeBudgetCheck00001", "2026-11-20T11:00:00.000Z"));
            var deadline = DateTime.UtcNow + GiveUp;
            while (Alerts(await client.GetStringAsync("/api/alerts")) == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "no alert was raised after serve synced the new call");
                await Task.Delay(100);
            }
        });

        Assert.Equal(0, code);
    }

    [Fact]
    public async Task A_token_file_private_to_its_owner_makes_every_request_need_the_token_and_read_only_refuses_a_rescan()
    {
        using var cli = new TallyCli(TestData.ClaudeSample, TimeProvider.System);
        var token = Path.Combine(cli.ConfigDir, "token");
        Directory.CreateDirectory(cli.ConfigDir);
        await File.WriteAllTextAsync(token, "s3cret-token-0123456789abcdef\n");
        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllTextAsync(Path.Combine(cli.ConfigDir, "config.json"), $"{{\"serve\": {{\"tokenFile\": \"{token}\", \"readOnly\": true}}}}");

        var (code, _, output) = await ServeAsync(cli, ["serve", "--port", "0"], async address =>
        {
            using var anonymous = new HttpClient { BaseAddress = address };
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/costs")).StatusCode);
            using var client = new HttpClient { BaseAddress = address };
            client.DefaultRequestHeaders.Authorization = new("Bearer", "s3cret-token-0123456789abcdef");
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/costs")).StatusCode);
            using var rescan = new HttpRequestMessage(HttpMethod.Post, "/api/costs/rescan");
            rescan.Headers.Add("X-Tally-Request", "1");
            Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(rescan)).StatusCode);
        });

        Assert.Equal(0, code);
        Assert.Contains("Read-only.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_address_without_a_token_refuses_to_start()
    {
        using var cli = new TallyCli(TestData.ClaudeSample, TimeProvider.System);

        var (code, _, _, error) = await cli.RunAsync(["serve", "--host", "0.0.0.0", "--port", "0"]);

        Assert.Equal(2, code);
        Assert.Contains("a token is required", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_file_others_can_read_is_refused()
    {
        using var cli = new TallyCli(TestData.ClaudeSample, TimeProvider.System);
        var token = Path.Combine(cli.ConfigDir, "token");
        Directory.CreateDirectory(cli.ConfigDir);
        await File.WriteAllTextAsync(token, "s3cret-token-0123456789abcdef");
        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        await File.WriteAllTextAsync(Path.Combine(cli.ConfigDir, "config.json"), $"{{\"serve\": {{\"tokenFile\": \"{token}\"}}}}");

        var (code, _, _, error) = await cli.RunAsync(["serve", "--port", "0"]);

        Assert.Equal(2, code);
        Assert.Contains("chmod 600", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_in_config_json_is_not_read_and_the_user_is_told_where_it_belongs()
    {
        using var cli = new TallyCli(TestData.ClaudeSample, TimeProvider.System);
        Directory.CreateDirectory(cli.ConfigDir);
        await File.WriteAllTextAsync(Path.Combine(cli.ConfigDir, "config.json"), "{\"serve\": {\"token\": \"s3cret-token-0123456789abcdef\"}}");

        var (code, _, _, error) = await cli.RunAsync(["serve", "--host", "0.0.0.0", "--port", "0"]);

        Assert.Equal(2, code);
        Assert.Contains("tokenFile", error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error, StringComparison.Ordinal);
    }

    private static int Alerts(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("alerts").GetArrayLength();

    private static string Line(string messageId, string timestamp) =>
        "{\"parentUuid\":null,\"isSidechain\":false,\"userType\":\"external\",\"cwd\":\"/home/alice/work/blog\",\"sessionId\":\"9b1e4d2a-3c4f-4a5b-8c6d-7e8f9a0b1c2d\",\"version\":\"2.0.14\",\"gitBranch\":\"main\","
        + "\"message\":{\"id\":\"" + messageId + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-opus-4-1-20250805\",\"content\":[{\"type\":\"text\",\"text\":\"Done.\"}],"
        + "\"usage\":{\"input_tokens\":10,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":100,\"output_tokens\":20}},"
        + "\"requestId\":\"req_" + messageId + "\",\"type\":\"assistant\",\"uuid\":\"" + Guid.NewGuid() + "\",\"timestamp\":\"" + timestamp + "\"}\n";

    private static void AssertSameJson(System.Text.Json.JsonElement expected, string actual)
    {
        var parsed = System.Text.Json.JsonDocument.Parse(actual).RootElement;
        Assert.True(System.Text.Json.JsonElement.DeepEquals(expected, parsed), $"expected\n{expected}\nserved\n{actual}");
    }

    /// <summary>Runs <c>tally serve</c> until <paramref name="use"/> is done with the address it printed.</summary>
    private static async Task<(int Code, Uri? Address, string Output)> ServeAsync(TallyCli cli, string[] args, Func<Uri, Task> use)
    {
        using var stop = new CancellationTokenSource();
        var console = TallyCli.NewConsole();
        var run = Task.Run(() => cli.RunAsync(args, stop.Token, console));
        Uri? address = null;
        var deadline = DateTime.UtcNow + GiveUp;
        while (address is null && !run.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            if (Served().Match(console.Output) is { Success: true } match)
            {
                address = new Uri(match.Groups[1].Value);
            }
        }

        try
        {
            Assert.True(address is not null, run.IsCompleted ? (await run).ToString() : "no address printed");
            await use(address);
        }
        finally
        {
            await stop.CancelAsync();
        }

        var (code, _, output, _) = await run.WaitAsync(GiveUp);
        return (code, address, output);
    }

    [GeneratedRegex(@"Tally serves (http://\S+/)")]
    private static partial Regex Served();
}
