namespace Tally.Tests.Shared;

/// <summary>A clock that says what it is told (UTC).</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    /// <summary>The instant the clock reports.</summary>
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
