namespace Tally.Core.Pricing;

/// <summary>Operations on lists of <see cref="DatedRow"/>: lookup by day, ordering, validation and overlaying.</summary>
internal static class DatedRows
{
    /// <summary>The row covering <paramref name="day"/>, or <see langword="null"/>.</summary>
    public static T? Covering<T>(IReadOnlyList<T> rows, DateOnly day)
        where T : DatedRow
    {
        // Indexed rather than foreach: enumerating an IReadOnlyList allocates an enumerator, and every record is priced.
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Covers(day))
            {
                return rows[i];
            }
        }

        return null;
    }

    /// <summary>The multiplier covering <paramref name="day"/>, or 1 when none does.</summary>
    public static decimal MultiplierOn(IReadOnlyList<MultiplierRow> rows, DateOnly day) =>
        Covering(rows, day)?.Multiplier ?? 1m;

    /// <summary>The rows sorted by start; throws <see cref="FormatException"/> naming <paramref name="path"/> when a range is reversed or two overlap.</summary>
    public static T[] SortAndCheck<T>(IEnumerable<T> rows, string path)
        where T : DatedRow
    {
        T[] sorted = [.. rows.OrderBy(static r => r.Start)];
        for (int i = 0; i < sorted.Length; i++)
        {
            if (sorted[i].Start > sorted[i].End)
            {
                throw new FormatException($"{path}: a row runs from {Describe(sorted[i].From)} to {Describe(sorted[i].To)}, which is backwards.");
            }

            if (i > 0 && sorted[i].Start <= sorted[i - 1].End)
            {
                throw new FormatException(
                    $"{path}: the rows from {Describe(sorted[i - 1].From)} and from {Describe(sorted[i].From)} overlap; each day may have only one row.");
            }
        }

        return sorted;
    }

    /// <summary>
    /// <paramref name="overrides"/> laid over <paramref name="baseRows"/>: each override row wins for its own range of
    /// days, and base rows keep the days no override row covers (a base row is cut around override rows).
    /// </summary>
    public static T[] Overlay<T>(IReadOnlyList<T> baseRows, IReadOnlyList<T> overrides)
        where T : DatedRow
    {
        if (overrides.Count == 0)
        {
            return [.. baseRows];
        }

        List<T> result = [.. overrides];
        foreach (T row in baseRows)
        {
            List<(DateOnly Start, DateOnly End)> pieces = [(row.Start, row.End)];
            foreach (T cut in overrides)
            {
                pieces = Subtract(pieces, cut.Start, cut.End);
            }

            foreach ((DateOnly start, DateOnly end) in pieces)
            {
                DatedRow piece = row with
                {
                    From = start == DateOnly.MinValue ? null : start,
                    To = end == DateOnly.MaxValue ? null : end,
                };
                result.Add((T)piece);
            }
        }

        return [.. result.OrderBy(static r => r.Start)];
    }

    /// <summary>The row of <paramref name="rows"/> to compare an override starting on <paramref name="start"/> with.</summary>
    public static T? Counterpart<T>(IReadOnlyList<T> rows, DateOnly start, DateOnly end)
        where T : DatedRow
    {
        T? covering = rows.FirstOrDefault(r => r.Start <= start && start <= r.End);
        return covering ?? rows.FirstOrDefault(r => r.Start <= end && start <= r.End);
    }

    private static List<(DateOnly Start, DateOnly End)> Subtract(List<(DateOnly Start, DateOnly End)> pieces, DateOnly cutStart, DateOnly cutEnd)
    {
        List<(DateOnly Start, DateOnly End)> kept = [];
        foreach ((DateOnly start, DateOnly end) in pieces)
        {
            if (cutEnd < start || end < cutStart)
            {
                kept.Add((start, end));
                continue;
            }

            if (start < cutStart)
            {
                kept.Add((start, cutStart.AddDays(-1)));
            }

            if (cutEnd < end)
            {
                kept.Add((cutEnd.AddDays(1), end));
            }
        }

        return kept;
    }

    private static string Describe(DateOnly? day) => day?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "(open)";
}
