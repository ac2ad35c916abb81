using Tally.Core.Alerts;

namespace Tally.Core.Limits;

/// <summary>
/// The rate-limit hits a sync's "limit reached" lines report, for the rate-limit alert. Only hits still in force are
/// reported (the limit has not reset yet; or, for a notice without a reset time, seen within the last five hours), so
/// a first sync over months of history does not alert about limits long lifted. Each limit and reset is reported once.
/// </summary>
public static class LimitLineHits
{
    /// <summary>The hits among <paramref name="signals"/> that are still in force at <paramref name="now"/>.</summary>
    public static IReadOnlyList<RateLimitHit> InForce(IEnumerable<ObservedSignal> signals, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(signals);
        return [.. signals
            .Where(static s => s.Kind == SignalKind.LimitLine)
            .Where(s => s.ResetsAt is { } reset ? reset > now : s.ObservedAt > now - UsageWindows.FiveHours && s.ObservedAt <= now)
            .GroupBy(static s => (Window: WindowName(s), s.ResetsAt))
            .Select(static g => g.MinBy(static s => s.ObservedAt)!)
            .OrderBy(static s => s.ObservedAt)
            .Select(static s => new RateLimitHit
            {
                Source = RateLimitSource.LimitLine,
                Window = WindowName(s),
                ObservedAt = s.ObservedAt,
                ResetsAt = s.ResetsAt,
                Detail = s.Source,
            })];
    }

    /// <summary>The alert's name for the window a signal is about: <c>five-hour</c>, <c>weekly</c>, the model family,
    /// or null when the notice did not say.</summary>
    private static string? WindowName(ObservedSignal signal) => signal.Window switch
    {
        WindowKind.FiveHour => "five-hour",
        WindowKind.Weekly => "weekly",
        WindowKind.Model => signal.Model?.ToLowerInvariant() ?? "model",
        _ => null,
    };
}
