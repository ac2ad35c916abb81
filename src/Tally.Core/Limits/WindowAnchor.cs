namespace Tally.Core.Limits;

/// <summary>A window whose real start and reset are known from an observed signal.</summary>
/// <param name="Start">When it started.</param>
/// <param name="End">When it resets.</param>
/// <param name="Kind">The kind of signal that told (null: the user's configuration).</param>
/// <param name="ObservedAt">When that signal was (last) observed.</param>
public sealed record WindowAnchor(DateTimeOffset Start, DateTimeOffset End, SignalKind? Kind, DateTimeOffset ObservedAt)
{
    /// <summary>True when <paramref name="instant"/> falls inside the window.</summary>
    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;

    /// <summary>
    /// The 5-hour windows the signals pin down: each signal about the 5-hour window with a reset time gives the window
    /// ending then. Where two disagree (overlap), the more authoritative kind wins (header, then status line, then limit
    /// line), then the later observation. The result is ordered by start and never overlaps.
    /// </summary>
    public static IReadOnlyList<WindowAnchor> FiveHour(IEnumerable<ObservedSignal> signals, TimeSpan length)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var candidates = signals
            .Where(static s => s.Window == WindowKind.FiveHour && s.ResetsAt is not null)
            .Select(s => new WindowAnchor(s.ResetsAt!.Value - length, s.ResetsAt.Value, s.Kind, s.LatestObservation))

            // A signal observed outside the window it names (a clock far off, a garbled reset) cannot place it.
            .Where(static a => a.ObservedAt >= a.Start - TimeSpan.FromMinutes(1))
            .OrderByDescending(static a => a.Kind).ThenByDescending(static a => a.ObservedAt).ThenBy(static a => a.End);
        var kept = new List<WindowAnchor>();
        foreach (var candidate in candidates)
        {
            if (!kept.Any(k => k.Start < candidate.End && candidate.Start < k.End))
            {
                kept.Add(candidate);
            }
        }

        return [.. kept.OrderBy(static a => a.Start)];
    }

    /// <summary>
    /// The weekly reset the signals tell (the most authoritative, then the latest observed), for the overall weekly
    /// window or a model's (<paramref name="model"/>; the overall one when the model has no signal of its own). Weekly
    /// windows repeat every 7 days from it.
    /// </summary>
    public static WindowAnchor? Weekly(IEnumerable<ObservedSignal> signals, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var list = signals.Where(static s => s.ResetsAt is not null).ToList();
        var own = model is null
            ? list.Where(static s => s.Window == WindowKind.Weekly)
            : list.Where(s => s.Window == WindowKind.Model && string.Equals(s.Model, model, StringComparison.OrdinalIgnoreCase));
        var best = own.OrderByDescending(static s => s.Kind).ThenByDescending(static s => s.LatestObservation).FirstOrDefault();
        if (best is null)
        {
            return model is null ? null : Weekly(list);
        }

        return new WindowAnchor(best.ResetsAt!.Value - TimeSpan.FromDays(7), best.ResetsAt.Value, best.Kind, best.LatestObservation);
    }

    /// <summary>The weekly window (repeating this one every 7 days) that holds <paramref name="instant"/>.</summary>
    public WindowAnchor WeekHolding(DateTimeOffset instant)
    {
        var week = TimeSpan.FromDays(7).Ticks;
        var offset = (instant - Start).Ticks;
        var periods = (offset / week) - (offset % week < 0 ? 1 : 0);
        var start = Start + TimeSpan.FromTicks(week * periods);
        return this with { Start = start, End = start + TimeSpan.FromTicks(week) };
    }
}
