using System.Globalization;
using Tally.Core.Storage;

namespace Tally.Core.Limits;

/// <summary>
/// Cuts usage into blocks with ccusage's algorithm, fed in time order: a block starts at its first call's UTC hour; a
/// call more than a block length after the block's start, or after the previous call, starts a new block; idle time
/// longer than a block between two calls is a gap block. Beyond ccusage, windows pinned down by observed signals
/// (<see cref="WindowAnchor"/>) are taken as they are: their calls belong to them, an estimated block never reaches
/// into one, and the block after one starts no earlier than its reset.
/// </summary>
/// <remarks>
/// The input is slices: a call, or a group of calls whose first and last times are known (a quarter-hour rollup bucket).
/// A slice is placed by its first call, so a slice must not straddle a block boundary; with a block length that is a
/// whole number of quarter hours, only a bucket whose first call is exactly on its quarter hour, or that holds an
/// anchor's edge, can — the caller feeds those call by call.
/// </remarks>
public sealed class BlockBuilder
{
    private readonly TimeSpan _length;
    private readonly DateTimeOffset _now;
    private readonly IReadOnlyList<WindowAnchor> _anchors;
    private readonly List<UsageBlock> _blocks = [];
    private OpenBlock? _open;
    private DateTimeOffset? _lastCall;
    private DateTimeOffset? _lastSlice;

    /// <summary>Creates a builder.</summary>
    /// <param name="length">The block length (ccusage's <c>--session-length</c>; 5 hours by default).</param>
    /// <param name="now">The instant that decides which block is active.</param>
    /// <param name="anchors">Windows known from signals, ordered and not overlapping (none for a non-standard length).</param>
    public BlockBuilder(TimeSpan length, DateTimeOffset now, IReadOnlyList<WindowAnchor>? anchors = null)
    {
        if (length <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "A block must have a positive length.");
        }

        _length = length;
        _now = now;
        _anchors = anchors ?? [];
    }

    /// <summary>Adds a slice of calls that ran from <paramref name="first"/> to <paramref name="last"/>, with its sums by model.</summary>
    public void Add(DateTimeOffset first, DateTimeOffset last, IEnumerable<AggregateRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (_lastSlice is { } previous && first < previous)
        {
            throw new ArgumentException($"Slices must come in time order ({first:o} after {previous:o}).", nameof(first));
        }

        _lastSlice = first;
        if (_open is not null && _lastCall is { } lastCall && !_open.Takes(first, lastCall, _length))
        {
            Close();
            if (first - lastCall > _length)
            {
                var gapStart = lastCall + _length;
                _blocks.Add(new UsageBlock { Id = "gap-" + Iso(gapStart), Start = gapStart, End = first, IsGap = true });
            }
        }

        _open ??= Open(first);
        foreach (var row in rows)
        {
            _open.Add(row);
        }

        _open.First ??= first;
        _open.Last = _open.Last is { } l && l > last ? l : last;
        _lastCall = _lastCall is { } c && c > last ? c : last;
    }

    /// <summary>The blocks, oldest first, the last one closed.</summary>
    public IReadOnlyList<UsageBlock> Finish()
    {
        Close();
        return _blocks;
    }

    /// <summary>An instant as ccusage writes it (ISO-8601 UTC with milliseconds).</summary>
    public static string Iso(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private OpenBlock Open(DateTimeOffset first)
    {
        if (_anchors.FirstOrDefault(a => a.Contains(first)) is { } anchor)
        {
            return new OpenBlock(anchor.Start, anchor.End, anchor);
        }

        var start = new DateTimeOffset(first.UtcDateTime.Date.AddHours(first.UtcDateTime.Hour), TimeSpan.Zero);
        foreach (var before in _anchors.Where(a => a.End > start && a.End <= first))
        {
            start = before.End; // a known window ended here: the next one cannot have started before
        }

        var end = start + _length;
        var next = _anchors.FirstOrDefault(a => a.Start > first && a.Start < end);
        return new OpenBlock(start, next?.Start ?? end, null) { Clipped = next is not null };
    }

    private void Close()
    {
        if (_open is not { First: { } first, Last: { } last } open)
        {
            _open = null;
            return;
        }

        var totals = open.Models.Values.Aggregate(WindowTotals.Empty, static (sum, m) => sum.Add(m.Totals));
        var active = _now - last < _length && _now < open.End;
        var rate = active ? BurnRate.Of(totals, first, last) : null;
        _blocks.Add(new UsageBlock
        {
            Id = Iso(open.Start),
            Start = open.Start,
            End = open.End,
            FirstEntry = first,
            ActualEnd = last,
            IsActive = active,
            Totals = totals,
            Models = [.. open.Models.OrderBy(static m => m.Value.First).ThenBy(static m => m.Key, StringComparer.Ordinal).Select(static m => new ModelUsage(m.Key, m.Value.Totals))],
            AnchoredBy = open.Anchor?.Kind,
            BurnRate = rate,
            Projection = rate is null ? null : Projection.Of(totals, rate, open.End, _now),
        });
        _open = null;
    }

    private sealed class OpenBlock(DateTimeOffset start, DateTimeOffset end, WindowAnchor? anchor)
    {
        public DateTimeOffset Start { get; } = start;

        public DateTimeOffset End { get; } = end;

        public WindowAnchor? Anchor { get; } = anchor;

        public bool Clipped { get; init; }

        public DateTimeOffset? First { get; set; }

        public DateTimeOffset? Last { get; set; }

        public Dictionary<string, (DateTimeOffset First, WindowTotals Totals)> Models { get; } = new(StringComparer.Ordinal);

        /// <summary>ccusage's rule (a call at exactly the block's end still belongs to it), or an anchored window's bounds.</summary>
        public bool Takes(DateTimeOffset call, DateTimeOffset previousCall, TimeSpan length) => Anchor is not null
            ? call < End
            : call - Start <= length && call - previousCall <= length && (!Clipped || call < End);

        public void Add(AggregateRow row)
        {
            var model = row.Model ?? string.Empty;
            Models[model] = Models.TryGetValue(model, out var seen)
                ? (seen.First < row.FirstSeen ? seen.First : row.FirstSeen, seen.Totals.Add(row))
                : (row.FirstSeen, WindowTotals.Empty.Add(row));
        }
    }
}
