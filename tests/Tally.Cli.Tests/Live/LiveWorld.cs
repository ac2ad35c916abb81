using Spectre.Console.Testing;
using Tally.Cli.App;
using Tally.Cli.Live;
using Tally.Cli.Tests.Harness;
using Tally.Core.Limits;

namespace Tally.Cli.Tests.Live;

/// <summary>A world with one session of its own (three Sonnet calls from 10:00 to 11:13 UTC), seen at 11:15, with a
/// daily budget small enough to alert.</summary>
internal sealed class LiveWorld : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 11, 15, 0, TimeSpan.Zero);
    public const string Session = "7d3c1a2b-0000-4000-8000-00000000c0de";

    public LiveWorld()
    {
        Cli = new TallyCli(noClaudeData: true) { Width = 120, Clock = { Now = Now } };
        Cli.Variables["CLAUDE_CONFIG_DIR"] = Path.Combine(Cli.Root, "claude");
        Cli.WriteFile("config/budgets.json", """{ "budgets": [ { "name": "daily", "scope": "day", "limit": 0.05 } ] }""");
        TranscriptPath = Cli.WriteFile($"claude/projects/-home-bob-app/{Session}.jsonl", string.Join('\n',
            Call("msg_live_1", Now.AddMinutes(-75)),
            Call("msg_live_2", Now.AddMinutes(-45)),
            Call("msg_live_3", Now.AddMinutes(-2))) + "\n");
    }

    public TallyCli Cli { get; }

    public string TranscriptPath { get; }

    public static string Call(string id, DateTimeOffset at) =>
        Transcript.Assistant(Session, "/home/bob/app", "feature/live", id, at, input: 1000, output: 2000);

    /// <summary>Opens the world's index (no sync: the monitor does it).</summary>
    public async Task<(TallyRun Run, BudgetRuntime Budgets, LiveFrameBuilder Builder)> OpenAsync(TestConsole console, TestConsole error)
    {
        var environment = Cli.Environment(console, error, new StringWriter(), new StringWriter());
        var run = await TallyRun.OpenAsync(new GlobalSettings { NoSync = true }, environment, CancellationToken.None);
        var plan = PlanFile.Defaults.Find("max5")!;
        var builder = new LiveFrameBuilder(run.Store, Cli.Clock, new LiveOptions
        {
            Limits = new LimitsRequest { Plan = plan, Zone = TimeZoneInfo.Utc },
            Agents = run.Config.Agents,
        });
        return (run, run.Budgets, builder);
    }

    public void Dispose() => Cli.Dispose();
}
