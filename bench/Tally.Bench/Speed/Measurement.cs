using Tally.Bench.Common;

namespace Tally.Bench.Speed;

/// <summary>One measured command, run several times: wall times and peak RSS of each run, and what it is compared with.</summary>
internal sealed class Measurement(string id, string tool, string label, string command)
{
    public string Id { get; } = id;

    public string Tool { get; } = tool;

    public string Label { get; } = label;

    public string Command { get; } = command;

    /// <summary>The id of the ccusage measurement this one is compared with, if any.</summary>
    public string? PeerId { get; init; }

    public List<ProcessResult> Runs { get; } = [];

    public IEnumerable<double> Seconds => Runs.Select(static r => r.Wall.TotalSeconds);

    public double Median => MedianOf(Seconds);

    public double Min => Seconds.DefaultIfEmpty().Min();

    public double Max => Seconds.DefaultIfEmpty().Max();

    public long? MedianRss => Runs.All(static r => r.PeakRssBytes is not null) && Runs.Count > 0
        ? (long)MedianOf(Runs.Select(static r => (double)r.PeakRssBytes!.Value))
        : null;

    public long? MaxRss => Runs.Max(static r => r.PeakRssBytes);

    public bool AllSucceeded => Runs.Count > 0 && Runs.All(static r => r.Succeeded);

    public static double MedianOf(IEnumerable<double> values)
    {
        double[] v = [.. values.Order()];
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
    }
}
