using Tally.Bench.Reports;
using Tally.Bench.Tools;

namespace Tally.Bench.Speed;

/// <summary>
/// Runs the measurements in one go, each <c>repeat</c> times: ccusage's reports; Tally cold (empty index each
/// time), warm (nothing new), every warm report, and daily after appending new history.
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
        if (ccusage is not null)
        {
            using var peerBox = new Sandbox(corpus.Directory);
            foreach (string report in PeerReports)
            {
                Measure(new Measurement($"ccusage-{report}", "ccusage", $"ccusage {(report == "projects" ? "daily --instances" : report)}", ccusage.Describe(report)),
                    () => ccusage.Run(report, peerBox, Timeout));
            }
        }

        using var box = new Sandbox(corpus.Directory);
        Measure(new Measurement("tally-daily-cold", "tally", "tally daily, cold (empty index)", tally.Describe("daily")) { PeerId = "ccusage-daily" },
            () =>
            {
                box.ResetData();
                return tally.Run("daily", box, Timeout);
            });
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
            Common.ProcessResult r = run();
            m.Runs.Add(r);
            log.WriteLine($"speed: {m.Label}: {r.Wall.TotalSeconds:0.000} s, {(r.PeakRssBytes ?? 0) / 1_048_576.0:0} MB{(r.Succeeded ? "" : $" FAILED (exit {r.ExitCode}): {r.StderrHead(3)}")}");
        }

        _measurements.Add(m);
        return m;
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
