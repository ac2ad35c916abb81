using Tally.Core.Storage;

namespace Tally.Core.Limits;

/// <summary>
/// The windows of usage Claude's plans count in — 5-hour blocks, weeks, a model's weeks — computed from the index and
/// the observed signals, with no user interface: <c>tally blocks</c>, <c>tally limits</c>, the status line and the live
/// monitor all read them from here. Time comes from the injected clock.
/// </summary>
/// <param name="store">The index.</param>
/// <param name="clock">The clock that decides what "now" (the active block, the current week) is.</param>
public sealed class UsageWindows(IUsageStore store, TimeProvider clock)
{
    /// <summary>The 5-hour session window.</summary>
    public static readonly TimeSpan FiveHours = TimeSpan.FromHours(5);

    /// <summary>The weekly window.</summary>
    public static readonly TimeSpan Week = TimeSpan.FromDays(7);

    private static readonly TimeSpan Quarter = TimeSpan.FromMinutes(15);

    /// <summary>The index.</summary>
    public IUsageStore Store { get; } = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>The clock.</summary>
    public TimeProvider Clock { get; } = clock ?? throw new ArgumentNullException(nameof(clock));

    /// <summary>The signals observed since <paramref name="since"/> (all when null).</summary>
    public Task<IReadOnlyList<ObservedSignal>> SignalsAsync(DateTimeOffset? since, CancellationToken cancellationToken) =>
        Store.SignalsAsync(since ?? DateTimeOffset.MinValue, cancellationToken);

    /// <summary>
    /// The blocks of the calls <paramref name="request"/> selects, oldest first, gaps included. With a block length that
    /// is a whole number of quarter hours, the blocks come exactly from the quarter-hour rollup (first and last call of
    /// each bucket), reading single calls only for the rare bucket that could straddle a boundary; any other length reads
    /// every call's time.
    /// </summary>
    public async Task<IReadOnlyList<UsageBlock>> BlocksAsync(BlockRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = Clock.GetUtcNow();
        var signals = await SignalsAsync(request.From - Week, cancellationToken);
        var anchors = request.UseSignals && request.Length == FiveHours ? WindowAnchor.FiveHour(signals, request.Length) : [];
        var builder = new BlockBuilder(request.Length, now, anchors);
        var query = new UsageQuery
        {
            From = request.From,
            Until = request.Until,
            Models = request.Models,
            Projects = request.Projects,
            CostMode = request.CostMode,
            GroupBy = GroupBy.QuarterHour | GroupBy.Model,
        };

        if (request.Length.Ticks % Quarter.Ticks != 0)
        {
            await Store.ScanRecordsAsync(query, row => builder.Add(row.FirstSeen, row.LastSeen, [row]), cancellationToken);
        }
        else
        {
            var rows = await Store.AggregateAsync(query, cancellationToken);
            foreach (var bucket in rows.GroupBy(static r => r.Bucket!.Value).OrderBy(static g => g.Key))
            {
                var first = bucket.Min(static r => r.FirstSeen);
                var last = bucket.Max(static r => r.LastSeen);
                if (MayStraddle(bucket.Key, first, last, anchors))
                {
                    var calls = new List<AggregateRow>();
                    await Store.ScanRecordsAsync(query with { From = bucket.Key, Until = bucket.Key + Quarter }, calls.Add, cancellationToken);
                    foreach (var call in calls)
                    {
                        builder.Add(call.FirstSeen, call.LastSeen, [call]);
                    }
                }
                else
                {
                    builder.Add(first, last, bucket);
                }
            }
        }

        return WithLimitHits(builder.Finish(), signals);
    }

    /// <summary>The block active now, if any (only the last 5-hour-ish stretch of the index is read).</summary>
    public async Task<UsageBlock?> ActiveBlockAsync(BlockRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = Clock.GetUtcNow();

        // A block active now started less than two lengths ago (its last call is under one length old, and it is at most
        // one length long); reading a day covers it and its predecessor, which decides where it starts.
        var from = Floor(now - (2 * request.Length) - TimeSpan.FromHours(24));
        var blocks = await BlocksAsync(request with { From = request.From is { } f && f > from ? f : from }, cancellationToken);
        return blocks.LastOrDefault(static b => b.IsActive);
    }

    /// <summary>
    /// The weekly windows (or a model family's: <paramref name="model"/>) from <paramref name="from"/> to now, newest
    /// last, placed by <paramref name="anchor"/>; the totals of a model window count only that family's calls.
    /// </summary>
    public async Task<IReadOnlyList<UsageWindow>> WeeksAsync(WindowAnchor anchor, Provenance source, DateTimeOffset from, string? model, CostMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        var now = Clock.GetUtcNow();
        var windows = new List<UsageWindow>();
        for (var week = anchor.WeekHolding(from); week.Start <= now; week = week.WeekHolding(week.End))
        {
            windows.Add(await WindowAsync(model is null ? WindowKind.Weekly : WindowKind.Model, model, week.Start, week.End, source, mode, cancellationToken));
        }

        return windows;
    }

    /// <summary>What was used from <paramref name="start"/> until <paramref name="end"/> (or now, when sooner).</summary>
    public async Task<UsageWindow> WindowAsync(WindowKind kind, string? model, DateTimeOffset start, DateTimeOffset end, Provenance source, CostMode mode, CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var until = end < now ? end : now.AddMilliseconds(1);

        // The whole quarter hours in between come from the rollup; only the ragged edges (a reset at an odd minute,
        // "now") are summed from the records.
        var ranges = new List<(DateTimeOffset From, DateTimeOffset Until)>();
        var (inner, outer) = (Ceiling(start), Floor(until));
        if (outer - inner >= TimeSpan.FromHours(1))
        {
            ranges.Add((start, inner));
            ranges.Add((inner, outer));
            ranges.Add((outer, until));
        }
        else
        {
            ranges.Add((start, until));
        }

        var rows = new List<AggregateRow>();
        foreach (var (from, to) in ranges.Where(static r => r.From < r.Until))
        {
            rows.AddRange(await Store.AggregateAsync(new UsageQuery { From = from, Until = to, GroupBy = GroupBy.Model, CostMode = mode }, cancellationToken));
        }

        var models = rows
            .Where(r => model is null || (r.Model?.Contains(model, StringComparison.OrdinalIgnoreCase) ?? false))
            .GroupBy(static r => r.Model ?? string.Empty, StringComparer.Ordinal)
            .Select(static g => new ModelUsage(g.Key, g.Aggregate(WindowTotals.Empty, static (sum, r) => sum.Add(r))))
            .OrderByDescending(static m => m.Totals.CostUsd).ThenBy(static m => m.Model, StringComparer.Ordinal)
            .ToList();
        return new UsageWindow
        {
            Kind = kind,
            Model = model,
            Start = start,
            End = end,
            Source = source,
            IsActive = start <= now && now < end,
            Totals = models.Aggregate(WindowTotals.Empty, static (sum, m) => sum.Add(m.Totals)),
            Models = models,
        };
    }

    /// <summary>
    /// True when a bucket's calls might fall on both sides of a block boundary: its first call is exactly on the quarter
    /// hour (a boundary a block end could share: a call there still belongs to the block it ends), or an anchor's start
    /// or end falls inside it.
    /// </summary>
    private static bool MayStraddle(DateTimeOffset bucket, DateTimeOffset first, DateTimeOffset last, IReadOnlyList<WindowAnchor> anchors)
    {
        if (first == bucket && last > first)
        {
            return true;
        }

        var end = bucket + Quarter;
        return anchors.Any(a => (a.Start > bucket && a.Start < end) || (a.End > bucket && a.End < end));
    }

    private static DateTimeOffset Floor(DateTimeOffset instant) => new(instant.UtcTicks - (instant.UtcTicks % Quarter.Ticks), TimeSpan.Zero);

    private static DateTimeOffset Ceiling(DateTimeOffset instant) => instant.UtcTicks % Quarter.Ticks == 0 ? instant.ToUniversalTime() : Floor(instant) + Quarter;

    /// <summary>Marks each block with the reset time of a limit hit inside it (ccusage's <c>usageLimitResetTime</c>).</summary>
    private static IReadOnlyList<UsageBlock> WithLimitHits(IReadOnlyList<UsageBlock> blocks, IReadOnlyList<ObservedSignal> signals)
    {
        var hits = signals.Where(static s => s.Kind == SignalKind.LimitLine && s.ResetsAt is not null).ToList();
        if (hits.Count == 0)
        {
            return blocks;
        }

        return [.. blocks.Select(b => b.IsGap ? b : hits.Where(h => h.ObservedAt >= b.Start && h.ObservedAt <= b.End).MaxBy(static h => h.ObservedAt) is { } hit
            ? b with { LimitResetAt = hit.ResetsAt }
            : b)];
    }
}
