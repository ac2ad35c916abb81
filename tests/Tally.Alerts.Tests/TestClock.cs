namespace Tally.Alerts.Tests;

/// <summary>A clock that says what it is told (timers are the system's).</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
