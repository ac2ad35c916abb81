using System.Globalization;

using Tally.Bench.Common;

namespace Tally.Bench.Speed;

/// <summary>The speed table: medians, min/max, peak RSS and the ratio to the matching ccusage command.</summary>
internal static class SpeedReport
{
    private const string Row = "{0,-48} {1,9} {2,9} {3,9} {4,10} {5,10}  {6}";

    public static void Print(TextWriter o, SpeedResult r)
    {
        o.WriteLine($"corpus: {r.Corpus.Directory} — {r.Corpus.Bytes / 1_000_000.0:0.0} MB, {r.Corpus.Files} files"
            + (r.Corpus.Generated ? $" (generated in {r.Corpus.GenerateSeconds:0.0} s)" : " (reused)"));
        o.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}; runs per measurement: {r.Repeat}; page cache warm");
        o.WriteLine($"load average (1/5/15 min): {r.Load.Before ?? "-"} at the start, {r.Load.After ?? "-"} at the end");
        o.WriteLine($"peak RSS: {ProcessRunner.RssMethod}");
        o.WriteLine();
        o.WriteLine(string.Format(CultureInfo.InvariantCulture, Row, "measurement", "median s", "min s", "max s", "RSS MB", "RSS max", "tally/ccusage"));
        foreach (Measurement m in r.Measurements)
        {
            string ratio = r.Ratio(m) is { } x ? $"{Fmt.Ratio(x)} of {r.Find(m.PeerId)!.Label}" : "";
            o.WriteLine(string.Format(CultureInfo.InvariantCulture, Row, m.Label + (m.AllSucceeded ? "" : " [FAILED]"),
                Fmt.Seconds(m.Median), Fmt.Seconds(m.Min), Fmt.Seconds(m.Max), Fmt.Mb(m.MedianRss), Fmt.Mb(m.MaxRss), ratio));
        }

        // The cold run and the peer's daily report alternate (SpeedRunner): each pair shared the machine's load.
        if (r.Find("tally-daily-cold") is { } cold && r.Find("ccusage-daily") is { } peer && cold.Runs.Count == peer.Runs.Count && cold.Runs.Count > 0)
        {
            double[] pairs = [.. cold.Seconds.Zip(peer.Seconds, static (t, c) => t / c)];
            o.WriteLine($"cold, run by run against ccusage daily: median ratio {Fmt.Ratio(Measurement.MedianOf(pairs))}, Tally faster in {pairs.Count(static x => x < 1)} of {pairs.Length} pairs");
        }

        o.WriteLine();
        foreach (SpeedCheck c in r.Checks)
        {
            o.WriteLine($"{(c.Passed ? "ok  " : "FAIL")} {c.Text}");
        }
    }
}
