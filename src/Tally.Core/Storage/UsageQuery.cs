using Tally.Core.Usage;

namespace Tally.Core.Storage;

/// <summary>A filter and grouping over the indexed records.</summary>
public sealed record UsageQuery
{
    /// <summary>Inclusive lower bound on the record's time (UTC), if any.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Exclusive upper bound on the record's time (UTC), if any.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Only these model ids (as written); null for all, empty for none.</summary>
    public IReadOnlyList<string>? Models { get; init; }

    /// <summary>Only these projects; null for all, empty for none.</summary>
    public IReadOnlyList<string>? Projects { get; init; }

    /// <summary>Only this session, if set.</summary>
    public string? SessionId { get; init; }

    /// <summary>The grouping dimensions.</summary>
    public GroupBy GroupBy { get; init; }

    /// <summary>Which cost figure to sum.</summary>
    public CostMode CostMode { get; init; }

    /// <summary>Only records from these sources; null for all, empty for none.</summary>
    public IReadOnlyList<UsageSource>? Sources { get; init; }

    /// <summary>Only records of calls answered where this says; null for all.</summary>
    public ExecutionMode? ExecutionMode { get; init; }

    /// <summary>With <see cref="GroupBy.QuarterHour"/>: how many quarter hours one time group spans (1, the default: a
    /// quarter hour; 4: an hour; 96: a day). Wider groups mean fewer rows for a report that folds them into days.</summary>
    public int BucketQuarters { get; init; } = 1;

    /// <summary>With <see cref="GroupBy.QuarterHour"/>: how many quarter hours the groups' boundaries are moved from
    /// UTC's (a zone's UTC offset, so that a 96-quarter group is one local day). Each row's bucket is its group's start.</summary>
    public int BucketShiftQuarters { get; init; }

    /// <summary>True when the query's source and execution-mode filters admit records of <paramref name="source"/> run in
    /// <paramref name="mode"/> (a store whose records all share one source and mode answers nothing when this is false).</summary>
    public bool Admits(UsageSource source, ExecutionMode mode) =>
        (Sources is null || Sources.Contains(source)) && (ExecutionMode is null || ExecutionMode == mode);
}
