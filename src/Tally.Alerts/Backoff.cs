namespace Tally.Alerts;

/// <summary>
/// Exponential backoff with "equal jitter": the wait before retry <c>n</c> (1-based) is half of
/// <c>min(max, base × 2^(n−1))</c> plus a random part of up to the other half, so retries of many clients spread out
/// but never come sooner than half the nominal wait.
/// </summary>
public static class Backoff
{
    /// <summary>The wait before retry <paramref name="retry"/>, with <paramref name="random"/> in [0, 1).</summary>
    public static TimeSpan Delay(int retry, TimeSpan baseDelay, TimeSpan maxDelay, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var nominal = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30)));
        return TimeSpan.FromMilliseconds((nominal / 2) + (nominal / 2 * Math.Clamp(random, 0, 1)));
    }
}
