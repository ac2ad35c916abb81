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
}
