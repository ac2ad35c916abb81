using Tally.Bench.Reports;
using Tally.Bench.Tools;

namespace Tally.Bench.Speed;

/// <summary>
/// Runs the measurements in one go, each <c>repeat</c> times: Tally cold (empty index each time) alternating with
/// ccusage's daily report; ccusage's other reports; Tally warm (nothing new), every warm report, and daily after
/// appending new history.
/// </summary>
internal sealed class SpeedRunner(SpeedCorpus corpus, TallyTool tally, CcusageTool? ccusage, int repeat, long appendBytes, TextWriter log)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    private static readonly string[] PeerReports = ["daily", "weekly", "monthly", "session", "projects"];
    private static readonly string[] WarmReports = ["weekly", "monthly", "session", "projects", "models"];

    private readonly List<Measurement> _measurements = [];
    private readonly List<SpeedCheck> _checks = [];

    public SpeedResult Run()
    {
        string? loadBefore = Common.Machine.LoadAverage();
        using var peerBox = ccusage is null ? null : new Sandbox(corpus.Directory);
        using var box = new Sandbox(corpus.Directory);

        // The headline pair, Tally's cold run and the peer's daily report, alternate run by run, so that a change in
        // this shared machine's load falls on both alike (one tool's runs all before the other's gave ratios from 1.0x
        // to 1.6x for the same two binaries).
        var peerDaily = ccusage is null ? null : new Measurement("ccusage-daily", "ccusage", "ccusage daily", ccusage.Describe("daily"));
        var cold = new Measurement("tally-daily-cold", "tally", "tally daily, cold (empty index)", tally.Describe("daily")) { PeerId = "ccusage-daily" };
        for (int i = 0; i < repeat; i++)
        {
            if (peerDaily is not null)
            {
                RunOnce(peerDaily, () => ccusage!.Run("daily", peerBox!, Timeout));
            }

            RunOnce(cold, () =>
            {
                box.ResetData();
                return tally.Run("daily", box, Timeout);
            });
        }

        if (ccusage is not null)
        {
            _measurements.Add(peerDaily!);
            foreach (string report in PeerReports.Where(static r => r != "daily"))
            {
                Measure(new Measurement($"ccusage-{report}", "ccusage", $"ccusage {(report == "projects" ? "daily --instances" : report)}", ccusage.Describe(report)),
                    () => ccusage.Run(report, peerBox!, Timeout));
            }
        }

        _measurements.Add(cold);
        Measurement warm = Measure(new Measurement("tally-daily-warm", "tally", "tally daily, warm (nothing new)", tally.Describe("daily")) { PeerId = "ccusage-daily" },
            () => tally.Run("daily", box, Timeout));
        foreach (string report in WarmReports)
        {
            Measure(new Measurement($"tally-{report}-warm", "tally", $"tally {report}, warm", tally.Describe(report))
            {
                PeerId = report == "models" ? "ccusage-daily" : $"ccusage-{report}",
            }, () => tally.Run(report, box, Timeout));
        }

        MeasureAppend(box, warm);
        CheckConsistency();
        return new SpeedResult(corpus, repeat, appendBytes, _measurements, _checks) { Load = (loadBefore, Common.Machine.LoadAverage()) };
    }

    private void MeasureAppend(Sandbox box, Measurement warm)
    {
        Tokens4? baseline = Totals(warm.Runs.LastOrDefault());
        var appender = new Appender(corpus.Directory);
        var m = new Measurement("tally-daily-append", "tally", $"tally daily after +{appendBytes / 1_000_000.0:0.#} MB of new history", tally.Describe("daily"))
        {
            PeerId = "ccusage-daily",
        };
        Tokens4 added = default;
        try
        {
            Measure(m, () =>
            {
                added += appender.Append(appendBytes);
                var result = tally.Run("daily", box, Timeout);
                if (baseline is { } b && Totals(result) is { } now)
                {
                    Tokens4 grew = now - b;
                    _checks.Add(new SpeedCheck(grew == added, $"incremental sync: totals grew by {grew.Total:#,0} tokens, the appended calls hold {added.Total:#,0}"));
                }

                return result;
            });
        }
        finally
        {
            appender.Restore();
        }
    }

    /// <summary>All of Tally's warm reports must add up to the same totals as its daily report.</summary>
    private void CheckConsistency()
    {
        Tokens4? daily = Totals(_measurements.First(static m => m.Id == "tally-daily-warm").Runs.LastOrDefault());
        foreach (Measurement m in _measurements.Where(static m => m.Tool == "tally" && m.Id.EndsWith("-warm", StringComparison.Ordinal)))
        {
            Tokens4? totals = Totals(m.Runs.LastOrDefault());
            _checks.Add(new SpeedCheck(daily is not null && totals == daily,
                $"{m.Label}: totals {totals?.Total.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture) ?? "unreadable"} tokens, same as daily"));
        }
    }

    private Measurement Measure(Measurement m, Func<Common.ProcessResult> run)
    {
        for (int i = 0; i < repeat; i++)
        {
            RunOnce(m, run);
        }

        _measurements.Add(m);
        return m;
    }

    private void RunOnce(Measurement m, Func<Common.ProcessResult> run)
    {
        Common.ProcessResult r = run();
        m.Runs.Add(r);
        log.WriteLine($"speed: {m.Label}: {r.Wall.TotalSeconds:0.000} s, {(r.PeakRssBytes ?? 0) / 1_048_576.0:0} MB{(r.Succeeded ? "" : $" FAILED (exit {r.ExitCode}): {r.StderrHead(3)}")}");
    }

    private static Tokens4? Totals(Common.ProcessResult? r)
    {
        try
        {
            return r is { Succeeded: true } ? ReportParser.Parse(r.Stdout).Totals : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
