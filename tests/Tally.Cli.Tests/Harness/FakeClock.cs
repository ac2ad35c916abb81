namespace Tally.Cli.Tests.Harness;

/// <summary>A clock that says what it is told.</summary>
internal sealed class FakeClock(DateTimeOffset now) : TimeProvider
{
    /// <summary>The instant the clock reports.</summary>
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
