using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tally.Cli.App;
using Tally.Server.Tests.Harness;

namespace Tally.Server.Tests.Cli;

/// <summary>
/// <c>tally budget resume</c> end to end: <c>tally serve</c> (in-process, its metering proxy in front of a fake upstream
/// on Kestrel) holds an agent's request under a paused budget; the CLI command, run as another invocation on the same
/// index, releases it.
/// </summary>
public sealed partial class BudgetResumeCommandTests
{
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_paused_agent_is_released_by_tally_budget_resume()
    {
        await using var upstream = await StartUpstreamAsync();
        using var cli = new TallyCli(TestData.ClaudeSample, new FakeClock(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)));
        Directory.CreateDirectory(cli.ConfigDir);
        await File.WriteAllTextAsync(Path.Combine(cli.ConfigDir, "config.json"), $$"""{ "proxy": { "upstream": "{{upstream.Address}}", "pauseWaitSeconds": 600 } }""");
        // The sample's 2026-11-20 calls already cost more than this: the budget is over its limit for every request.
        Assert.Equal(0, (await cli.RunAsync(["budget", "set", "cap", "--scope", "day", "--limit", "0.01", "--action", "pause"])).Code);

        using var stop = new CancellationTokenSource();
        var console = TallyCli.NewConsole();
        var error = TallyCli.NewConsole();
        var serve = Task.Run(() => RunAsync(cli, ["serve", "--port", "0"], console, error, stop.Token));
        try
        {
            var address = await WaitForAsync(() => Served().Match(console.Output) is { Success: true } m ? new Uri(m.Groups[1].Value) : null, serve);
            using var client = new HttpClient { BaseAddress = address };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/agents/worker/v1/messages")
            {
                Content = new StringContent("""{"model":"claude-sonnet-4-5","max_tokens":16,"messages":[]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-api03-RESUMETESTkey");
            request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
            var pending = client.SendAsync(request);

            // Held: the proxy says so, and nothing reached the upstream.
            await WaitForAsync(() => error.Output.Contains("Budget cap paused agent worker", StringComparison.Ordinal) ? error : null, serve);
            Assert.False(pending.IsCompleted);
            Assert.Empty(upstream.Requests);

            var resumed = await cli.RunAsync(["budget", "resume", "cap"]);
            Assert.True(resumed.Code == 0, resumed.Error);
            Assert.Contains("Budget cap resumed", resumed.Console, StringComparison.Ordinal);

            using var response = await pending.WaitAsync(GiveUp);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("msg_resumed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Single(upstream.Requests);
        }
        finally
        {
            await stop.CancelAsync();
        }

        Assert.Equal(0, await serve.WaitAsync(GiveUp));
    }

    private static async Task<int> RunAsync(TallyCli cli, string[] args, Spectre.Console.Testing.TestConsole console, Spectre.Console.Testing.TestConsole error, CancellationToken cancellationToken)
    {
        using var output = new StringWriter();
        using var errorWriter = new StringWriter();
        var environment = new TallyEnvironment
        {
            Out = output,
            Console = console,
            ErrorWriter = errorWriter,
            Error = error,
            Variable = name => cli.Variables.GetValueOrDefault(name),
            Clock = cli.Clock,
            LocalZone = TimeZoneInfo.Utc,
        };
        return await TallyApp.RunAsync(args, environment, cancellationToken);
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe, Task<int> serve)
        where T : class
    {
        var deadline = DateTime.UtcNow + GiveUp;
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } found)
            {
                return found;
            }

            Assert.False(serve.IsCompleted, $"tally serve ended early (exit {(serve.IsCompleted ? await serve : 0)})");
            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException("gave up waiting");
    }

    private static async Task<Upstream> StartUpstreamAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var requests = new ConcurrentQueue<string>();
        app.Map("/{**path}", async context =>
        {
            requests.Enqueue(context.Request.Path);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"id":"msg_resumed","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","usage":{"input_tokens":5,"output_tokens":3}}""");
        });
        await app.StartAsync();
        return new Upstream(app, requests, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()));
    }

    private sealed record Upstream(WebApplication App, ConcurrentQueue<string> Requests, Uri Address) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    [GeneratedRegex(@"Tally serves (http://\S+/)")]
    private static partial Regex Served();
}
