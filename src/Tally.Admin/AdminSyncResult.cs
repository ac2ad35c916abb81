using Tally.Core.Billing;

namespace Tally.Admin;

/// <summary>What a sync fetched, whether it was stored, and every disagreement the self-check found.</summary>
public sealed record AdminSyncResult
{
    /// <summary>The batch fetched (stored only when <see cref="Stored"/>).</summary>
    public required BilledBatch Batch { get; init; }

    /// <summary>True when the batch was committed to the index.</summary>
    public bool Stored { get; init; }

    /// <summary>Where the grouped rows did not add up to the API's ungrouped totals (empty: they did, or no check ran).</summary>
    public IReadOnlyList<string> CheckFailures { get; init; } = [];

    /// <summary>True when the self-check ran.</summary>
    public bool Checked { get; init; }

    /// <summary>Things worth saying that are not failures (a newer dimension not offered, …).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Pages read.</summary>
    public int Pages { get; init; }
}
