using Tally.Bench.Agree;
using Tally.Bench.Common;
using Tally.Bench.Speed;
using Tally.Bench.Tools;
using Tally.Ingest.Demo;

namespace Tally.Bench.Smoke;

/// <summary><c>smoke</c>: a CI-sized run of <c>agree</c>, a self-consistency check of every Tally report, and
/// <c>speed</c> with one run each, so the harness cannot rot. Runs without ccusage (and says so).</summary>
internal static class SmokeCommand
{
    public const string Usage = """
        usage: tally-bench smoke --tally PATH [--ccusage PATH] [--size SIZE]
          A few-MB run of agree (against ccusage when given and present, else Tally against the ground truth alone),
          of every Tally report checked for self-consistency (totals = sum of rows, same totals in every report),
          and of speed with one run per measurement. Exit 0 only when all three pass.

          --tally PATH     the tally executable
          --ccusage PATH   ccusage's native binary (default: bench/.peers/... when installed; skipped when absent)
          --size SIZE      corpus size (default 3MB)
        """;

    private const string PeerBinary = "bench/.peers/node_modules/@ccusage/ccusage-linux-x64/bin/ccusage";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        BenchArgs a;
        try
        {
            a = BenchArgs.Parse(args, ["--tally", "--ccusage", "--size"], []);
            string tallyPath = a.Value("--tally") ?? throw new FormatException("--tally is required");
            if (!File.Exists(tallyPath))
            {
                stderr.WriteLine($"smoke: FAIL — no tally at '{tallyPath}'");
                return 1;
            }

            return Execute(new TallyTool(tallyPath), FindPeer(a.Value("--ccusage"), stdout), a.Size("--size", "3MB"), stdout, stderr);
        }
        catch (FormatException e)
        {
            stderr.WriteLine($"{e.Message}\n\n{Usage}");
            return 2;
        }
    }

    private static int Execute(TallyTool tally, CcusageTool? ccusage, long size, TextWriter stdout, TextWriter stderr)
    {
        var options = new CorpusOptions { EndDay = new DateOnly(2026, 11, 20), TargetBytes = size, Days = 14 };
        ReportTool[] tools = ccusage is null ? [tally] : [tally, ccusage];
        stdout.WriteLine("== smoke 1/3: agree");
        int agree = AgreeCommand.Execute(options, tools, null, stdout, stderr);

        stdout.WriteLine("\n== smoke 2/3: Tally's reports agree with themselves");
        string corpus = Path.Combine(Path.GetTempPath(), $"tally-bench-smoke-{Guid.NewGuid():N}"[..30]);
        try
        {
            new CorpusGenerator().Write(corpus, options);
            List<string> problems = Consistency.Check(tally, corpus, stderr);
            problems.ForEach(p => stdout.WriteLine($"FAIL {p}"));
            stdout.WriteLine(problems.Count == 0 ? "consistent: totals = sum of rows in every report, and every report has daily's totals" : "");

            stdout.WriteLine("\n== smoke 3/3: speed, one run each");
            int speed = SpeedCommand.Execute(tally, ccusage, options, corpus, 1, 200_000, json: false, stdout, stderr);
            bool ok = agree == 0 && problems.Count == 0 && speed == 0;
            stdout.WriteLine($"\nsmoke: {(ok ? "PASS" : "FAIL")} (agree {(agree == 0 ? "ok" : "failed")}, consistency "
                + $"{(problems.Count == 0 ? "ok" : "failed")}, speed {(speed == 0 ? "ok" : "failed")}){(ccusage is null ? " — ccusage not installed: Tally only" : "")}");
            return ok ? 0 : 1;
        }
        finally
        {
            Directory.Delete(corpus, recursive: true);
        }
    }

    private static CcusageTool? FindPeer(string? given, TextWriter stdout)
    {
        string? path = given;
        for (string? dir = Directory.GetCurrentDirectory(); path is null && dir is not null; dir = Path.GetDirectoryName(dir))
        {
            path = File.Exists(Path.Combine(dir, PeerBinary)) ? Path.Combine(dir, PeerBinary) : null;
        }

        if (path is null || !File.Exists(path))
        {
            stdout.WriteLine($"smoke: ccusage is not installed{(given is null ? "" : $" at '{given}'")} (bench/install-peers.sh installs it); running Tally alone");
            return null;
        }

        return new CcusageTool(path);
    }
}
