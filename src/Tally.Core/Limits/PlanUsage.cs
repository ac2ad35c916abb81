using Tally.Core.Storage;

namespace Tally.Core.Limits;

/// <summary>
/// Plan usage now, from the most authoritative signal available for each figure (observed headers, then the status
/// line's <c>rate_limits</c>, then limit lines, then estimates from the plan file and history), each figure labelled
/// with its source. A window whose limit was hit and has not reset is blocked, and no window then claims headroom.
/// </summary>
/// <param name="windows">The windows service (index and clock).</param>
public sealed class PlanUsage(UsageWindows windows)
{
    /// <summary>How far back signals are read.</summary>
    private static readonly TimeSpan SignalHistory = TimeSpan.FromDays(35);

    private readonly UsageWindows _windows = windows ?? throw new ArgumentNullException(nameof(windows));

    /// <summary>The report for now.</summary>
    public async Task<LimitsReport> ReportAsync(LimitsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = _windows.Clock.GetUtcNow();
        var mode = request.CostMode;
        var signals = await _windows.SignalsAsync(now - SignalHistory, cancellationToken);
        var blocks = await _windows.BlocksAsync(new BlockRequest { From = now - LimitCalibration.HistoryDays - UsageWindows.FiveHours, CostMode = mode }, cancellationToken);
        var active = blocks.LastOrDefault(static b => b.IsActive);
        var rate = active?.BurnRate;

        var fiveHour = await FiveHourAsync(request, signals, blocks, active, now, cancellationToken);
        var weekly = await WeeklyAsync(request, signals, null, rate, now, cancellationToken);
        var models = new List<WindowStatus>();
        var families = request.Plan.ModelWeeklyCostUsd.Keys
            .Concat(signals.Where(static s => s.Window == WindowKind.Model && s.Model is not null).Select(static s => s.Model!))
            .Select(static f => f.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var family in families)
        {
            models.Add(await WeeklyAsync(request, signals, family, rate, now, cancellationToken));
        }

        var blocking = new[] { fiveHour, weekly }.Where(static w => w.Blocked).ToList();
        var all = new List<WindowStatus> { fiveHour, weekly };
        all.AddRange(models);
        if (blocking.Count > 0)
        {
            var by = blocking.OrderByDescending(static w => w.ResetsAt ?? DateTimeOffset.MaxValue).First();
            var note = $"Claude Code is blocked by its {(by.Kind == WindowKind.Weekly ? "weekly" : "5-hour")} limit";
            all = [.. all.Select(w => w.Blocked ? w : w with { Headroom = 0m, ProjectedLimitAt = null, LimitBeforeReset = false, Notes = [.. w.Notes, note] })];
        }

        var todayStart = StartOfDay(now, request.Zone);
        var today = await _windows.WindowAsync(WindowKind.Unknown, null, todayStart, now.AddMilliseconds(1), Provenance.Index, mode, cancellationToken);
        return new LimitsReport
        {
            Now = now,
            Plan = request.Plan,
            Blocked = blocking.Count > 0,
            BlockedUntil = blocking.Count == 0 || blocking.Any(static b => b.ResetsAt is null) ? null : blocking.Max(static b => b.ResetsAt),
            BlockedBy = blocking.OrderByDescending(static w => w.ResetsAt ?? DateTimeOffset.MaxValue).FirstOrDefault()?.Kind,
            Windows = all,
            Today = today.Totals,
            OpusMessagesToday = today.Models.Where(static m => m.IsOpus).Sum(static m => m.Totals.Calls),
            TodayStart = todayStart,
            BurnRate = rate,
            ActiveBlock = active,
        };
    }

    /// <summary>The first instant of <paramref name="now"/>'s day in <paramref name="zone"/> (the first valid time when a
    /// clock change skips midnight).</summary>
    public static DateTimeOffset StartOfDay(DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        return LimitMessage.ToInstant(DateOnly.FromDateTime(local.DateTime), TimeOnly.MinValue, zone);
    }

    private async Task<WindowStatus> FiveHourAsync(LimitsRequest request, IReadOnlyList<ObservedSignal> signals, IReadOnlyList<UsageBlock> blocks, UsageBlock? active, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var five = signals.Where(static s => s.Window == WindowKind.FiveHour && s.ResetsAt is not null).ToList();
        var observed = Current(five.Where(static s => s.Kind != SignalKind.LimitLine && s.Utilisation is not null), now);
        var hit = five.Where(s => s.Kind == SignalKind.LimitLine && s.ResetsAt > now).MaxBy(static s => s.ResetsAt);

        // A limit notice that named no window and no reset blocks until usage resumes or five hours pass.
        var lastCall = blocks.LastOrDefault(static b => !b.IsGap)?.ActualEnd;
        var unknownHit = signals.Where(s => s.Window == WindowKind.Unknown && s.ResetsAt is null && s.ObservedAt > now - UsageWindows.FiveHours
            && (lastCall is null || lastCall <= s.ObservedAt)).MaxBy(static s => s.ObservedAt);

        DateTimeOffset? start = null, reset = null;
        var resetSource = Provenance.Estimate;
        if ((observed ?? hit) is { } pinned)
        {
            reset = pinned.ResetsAt;
            start = reset - UsageWindows.FiveHours;
            resetSource = ProvenanceNames.Of(pinned.Kind);
        }
        else if (active is not null)
        {
            (start, reset) = (active.Start, active.End);
            resetSource = active.AnchoredBy is { } kind ? ProvenanceNames.Of(kind) : Provenance.Estimate;
        }

        var used = start is { } s0 && reset is { } r0
            ? await _windows.WindowAsync(WindowKind.FiveHour, null, s0, r0, resetSource, request.CostMode, cancellationToken)
            : null;
        var (limit, limitSource, samples) = await FiveHourLimitAsync(request, five, blocks, now, cancellationToken);
        var notes = new List<string>();
        if (start is null)
        {
            notes.Add("No 5-hour window is open: the next message starts one.");
        }

        var status = new WindowStatus
        {
            Kind = WindowKind.FiveHour,
            Start = start,
            ResetsAt = reset,
            ResetSource = resetSource,
            TimeToReset = reset is { } r ? r - now : null,
            Used = used?.Totals ?? WindowTotals.Empty,
            OpusMessages = used?.Models.Where(static m => m.IsOpus).Sum(static m => m.Totals.Calls) ?? 0,
            LimitUsd = limit,
            LimitSource = limitSource,
            LimitSamples = samples,
        };

        if (unknownHit is not null && hit is null)
        {
            notes.Add($"A limit was hit at {unknownHit.ObservedAt.UtcDateTime:yyyy-MM-dd HH:mm}Z and the notice gave no reset time.");
            var blocked = status with { ResetsAt = null, TimeToReset = null, Utilisation = 100m, UtilisationSource = Provenance.LimitLine, ObservedAt = unknownHit.ObservedAt, Blocked = true };
            return Finish(blocked, notes, active?.BurnRate, now);
        }

        return Finish(await UtilisationAsync(status, observed, hit, request.CostMode, now, cancellationToken), notes, active?.BurnRate, now);
    }

    private async Task<WindowStatus> WeeklyAsync(LimitsRequest request, IReadOnlyList<ObservedSignal> signals, string? model, BurnRate? rate, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var kind = model is null ? WindowKind.Weekly : WindowKind.Model;
        var own = signals.Where(s => s.Window == kind && s.ResetsAt is not null && (model is null || string.Equals(s.Model, model, StringComparison.OrdinalIgnoreCase))).ToList();
        var observed = Current(own.Where(static s => s.Kind != SignalKind.LimitLine && s.Utilisation is not null), now);
        var hit = own.Where(s => s.Kind == SignalKind.LimitLine && s.ResetsAt > now).MaxBy(static s => s.ResetsAt);
        var notes = new List<string>();

        DateTimeOffset start, end;
        DateTimeOffset? reset;
        Provenance resetSource;
        if (WindowAnchor.Weekly(signals, model) is { } anchor)
        {
            var week = anchor.WeekHolding(now);
            (start, end, reset, resetSource) = (week.Start, week.End, week.End, anchor.Kind is { } told ? ProvenanceNames.Of(told) : Provenance.Plan);
        }
        else if (request.ConfiguredWeeklyReset is { } configured)
        {
            var week = configured.WeekHolding(now);
            (start, end, reset, resetSource) = (week.Start, week.End, week.End, Provenance.Plan);
        }
        else
        {
            (start, end, reset, resetSource) = (now - UsageWindows.Week, now.AddMilliseconds(1), null, Provenance.Estimate);
            notes.Add("The weekly reset time is not known yet (no status line or limit line has told it; \"weeklyReset\" in plans.json sets it): the window shown is the last 7 days.");
        }

        var used = await _windows.WindowAsync(kind, model, start, end, resetSource, request.CostMode, cancellationToken);
        var planLimit = model is null ? request.Plan.WeeklyCostUsd : request.Plan.ModelWeeklyCostUsd.GetValueOrDefault(model);
        var (limit, limitSource, samples) = await CalibratedAsync(own, kind, model, UsageWindows.Week, request.CostMode, cancellationToken) is { } calibrated
            ? calibrated
            : (planLimit, Provenance.Plan, 0);
        var status = new WindowStatus
        {
            Kind = kind,
            Model = model,
            Start = start,
            ResetsAt = reset,
            ResetSource = resetSource,
            TimeToReset = reset - now,
            Used = used.Totals,
            OpusMessages = used.Models.Where(static m => m.IsOpus).Sum(static m => m.Totals.Calls),
            LimitUsd = limit,
            LimitSource = limitSource,
            LimitSamples = samples,
        };
        return Finish(await UtilisationAsync(status, observed, hit, request.CostMode, now, cancellationToken), notes, rate, now);
    }

    /// <summary>The latest observation (the highest utilisation of it) of the window that holds now.</summary>
    private static ObservedSignal? Current(IEnumerable<ObservedSignal> observations, DateTimeOffset now) =>
        observations.Where(s => s.ResetsAt > now)
            .OrderByDescending(static s => s.Kind).ThenByDescending(static s => s.ResetsAt).ThenByDescending(static s => s.Utilisation).ThenByDescending(static s => s.LatestObservation)
            .FirstOrDefault();

    /// <summary>Utilisation from the best source: a hit not yet reset (100%, blocked), an observation (plus what was used
    /// since, when the limit is known), or the estimate used / limit.</summary>
    private async Task<WindowStatus> UtilisationAsync(WindowStatus status, ObservedSignal? observed, ObservedSignal? hit, CostMode mode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (hit is not null)
        {
            return status with { Utilisation = 100m, UtilisationSource = Provenance.LimitLine, ObservedAt = hit.ObservedAt, ObservedUtilisation = 100m, Blocked = true, ResetsAt = status.ResetsAt ?? hit.ResetsAt };
        }

        if (observed is { Utilisation: { } seen })
        {
            var at = observed.LatestObservation;
            var since = 0m;
            if (status.LimitUsd is > 0m && at < now)
            {
                var after = await _windows.WindowAsync(status.Kind, status.Model, at.AddMilliseconds(1), now.AddMilliseconds(1), status.ResetSource, mode, cancellationToken);
                since = after.Totals.CostUsd / status.LimitUsd.Value * 100m;
            }

            return status with
            {
                Utilisation = seen + since,
                UtilisationSource = ProvenanceNames.Of(observed.Kind),
                ObservedAt = at,
                ObservedUtilisation = seen,
                Blocked = seen >= 100m,
            };
        }

        if (status.LimitUsd is > 0m && status.Start is not null)
        {
            return status with { Utilisation = status.Used.CostUsd / status.LimitUsd.Value * 100m, UtilisationSource = Provenance.Estimate };
        }

        return status;
    }

    /// <summary>Headroom (none when blocked) and the projected time to the limit at the current burn rate.</summary>
    private static WindowStatus Finish(WindowStatus status, List<string> notes, BurnRate? rate, DateTimeOffset now)
    {
        if (status.LimitUsd is null)
        {
            notes.Add(status.Kind == WindowKind.FiveHour
                ? "The 5-hour limit is not known: pick a plan (plans.json or --plan), or let Tally learn it from limit hits and the status line."
                : "This limit is not known: Anthropic publishes no weekly budget; Tally learns it from the status line and limit hits, or from plans.json.");
        }

        decimal? headroom = status.Blocked ? 0m : status.Utilisation is { } u ? Math.Max(0m, 100m - u) : null;
        DateTimeOffset? projected = null;
        if (!status.Blocked && status.Utilisation is { } used && status.LimitUsd is { } limit && rate is { CostPerHour: > 0m } r)
        {
            var left = Math.Max(0m, limit * (100m - used) / 100m);
            projected = now + TimeSpan.FromHours((double)(left / r.CostPerHour));
        }

        return status with
        {
            Headroom = headroom,
            ProjectedLimitAt = projected,
            LimitBeforeReset = projected is { } p && (status.ResetsAt is not { } reset || p < reset),
            Notes = notes,
        };
    }

    private async Task<(decimal? Limit, Provenance Source, int Samples)> FiveHourLimitAsync(LimitsRequest request, List<ObservedSignal> five, IReadOnlyList<UsageBlock> blocks, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await CalibratedAsync(five, WindowKind.FiveHour, null, UsageWindows.FiveHours, request.CostMode, cancellationToken) is { } calibrated)
        {
            return calibrated;
        }

        if (LimitCalibration.FromHistory(blocks, now, request.Plan.FiveHourCostUsd) is { } learned)
        {
            return (learned.Limit, Provenance.History, learned.Samples);
        }

        return (request.Plan.FiveHourCostUsd, Provenance.Plan, 0);
    }

    /// <summary>The median limit the observed windows imply (local cost at the observation / utilisation then).</summary>
    private async Task<(decimal? Limit, Provenance Source, int Samples)?> CalibratedAsync(IEnumerable<ObservedSignal> signals, WindowKind kind, string? model, TimeSpan length, CostMode mode, CancellationToken cancellationToken)
    {
        var implied = new List<decimal>();
        var best = SignalKind.LimitLine;
        foreach (var (signal, start) in LimitCalibration.Samples(signals, kind, model, length))
        {
            var at = signal.Kind == SignalKind.LimitLine ? signal.ObservedAt : signal.LatestObservation;
            var used = await _windows.WindowAsync(kind, model, start, at.AddMilliseconds(1), Provenance.Index, mode, cancellationToken);
            var percent = signal.Kind == SignalKind.LimitLine ? 100m : signal.Utilisation!.Value;
            if (used.Totals.CostUsd > 0m)
            {
                implied.Add(used.Totals.CostUsd / percent * 100m);
                best = signal.Kind > best ? signal.Kind : best;
            }
        }

        return implied.Count == 0 ? null : (LimitCalibration.Median(implied), ProvenanceNames.Of(best), implied.Count);
    }
}
