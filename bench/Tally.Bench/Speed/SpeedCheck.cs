namespace Tally.Bench.Speed;

/// <summary>A correctness check made on the way (a speed figure of a wrong answer is worthless).</summary>
internal sealed record SpeedCheck(bool Passed, string Text);
