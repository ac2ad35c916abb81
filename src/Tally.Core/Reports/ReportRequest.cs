using Tally.Core.Storage;

namespace Tally.Core.Reports;

/// <summary>What a report is asked for: its kind, the filters and the grouping rules, already validated.</summary>
public sealed record ReportRequest
{
    /// <summary>The kind of rows.</summary>
    public required ReportKind Kind { get; init; }

    /// <summary>The time zone days are cut in.</summary>
    public required TimeZoneInfo Zone { get; init; }

    /// <summary>The first day included (in <see cref="Zone"/>).</summary>
    public DateOnly? Since { get; init; }

    /// <summary>The last day included (in <see cref="Zone"/>).</summary>
    public DateOnly? Until { get; init; }

    /// <summary>Project filters (path, last folder name or alias); null for all.</summary>
    public IReadOnlyList<string>? Projects { get; init; }

    /// <summary>Model filters (exact id or part of one); null for all.</summary>
    public IReadOnlyList<string>? Models { get; init; }

    /// <summary>Only this session (session detail).</summary>
    public string? SessionId { get; init; }

    /// <summary>Which cost to sum.</summary>
    public CostMode CostMode { get; init; }

    /// <summary>The first day of a week (weekly).</summary>
    public DayOfWeek StartOfWeek { get; init; } = DayOfWeek.Monday;

    /// <summary>Newest first instead of oldest first (for cost-ordered reports: cheapest first instead of dearest).</summary>
    public bool? Descending { get; init; }

    /// <summary>Display names for projects, keyed by path or last folder name.</summary>
    public IReadOnlyDictionary<string, string> ProjectAliases { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The UTC instant the report starts at (inclusive).</summary>
    public DateTimeOffset? From => Since is { } day ? StartOfDay(day) : null;

    /// <summary>The UTC instant the report ends at (exclusive).</summary>
    public DateTimeOffset? To => Until is { } day ? StartOfDay(day.AddDays(1)) : null;

    /// <summary>The local day an instant falls on.</summary>
    public DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    /// <summary>The UTC instant a local day starts (the first valid local time when midnight is skipped by a clock change).</summary>
    public DateTimeOffset StartOfDay(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (Zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
