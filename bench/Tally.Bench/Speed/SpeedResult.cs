namespace Tally.Bench.Speed;

/// <summary>Everything a speed run measured and checked.</summary>
internal sealed record SpeedResult(SpeedCorpus Corpus, int Repeat, long AppendBytes, IReadOnlyList<Measurement> Measurements, IReadOnlyList<SpeedCheck> Checks)
{
    /// <summary>The load averages when the measurements started and ended.</summary>
    public (string? Before, string? After) Load { get; init; }

    public Measurement? Find(string? id) => Measurements.FirstOrDefault(m => m.Id == id);

    /// <summary>tally's median over its peer's median (below 1: Tally is faster).</summary>
    public double? Ratio(Measurement m) =>
        Find(m.PeerId) is { AllSucceeded: true } peer && m.AllSucceeded && peer.Median > 0 ? m.Median / peer.Median : null;

    public bool Passed => Checks.All(static c => c.Passed)
        && Measurements.Where(static m => m.Tool == "tally").All(static m => m.AllSucceeded);
}
