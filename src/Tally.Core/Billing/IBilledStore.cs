namespace Tally.Core.Billing;

/// <summary>
/// What Anthropic billed, from the Admin API: a different grain from usage records (time buckets × workspace × model ×
/// token type), kept in tables of its own and never summed with records. Separate from <c>IUsageStore</c> because only
/// the Admin API commands use it; the SQLite index implements both.
/// </summary>
public interface IBilledStore
{
    /// <summary>Stores a sync's batch in one transaction: each fetched window's rows replace the stored ones; each report's
    /// complete-until mark only moves forward; a failure leaves everything as it was.</summary>
    Task StoreBilledAsync(BilledBatch batch, CancellationToken cancellationToken);

    /// <summary>Where the report named <paramref name="report"/> is complete up to, or null before its first sync.</summary>
    Task<DateTimeOffset?> BilledCompleteUntilAsync(string report, CancellationToken cancellationToken);

    /// <summary>Usage rows whose bucket starts in [<paramref name="from"/>, <paramref name="until"/>), oldest first.</summary>
    Task<IReadOnlyList<BilledUsageRow>> BilledUsageAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Cost rows of the days in [<paramref name="from"/>, <paramref name="until"/>), oldest first.</summary>
    Task<IReadOnlyList<BilledCostRow>> BilledCostsAsync(DateOnly from, DateOnly until, CancellationToken cancellationToken);

    /// <summary>Claude Code rows of the days in [<paramref name="from"/>, <paramref name="until"/>), oldest first.</summary>
    Task<IReadOnlyList<ClaudeCodeDay>> ClaudeCodeDaysAsync(DateOnly from, DateOnly until, CancellationToken cancellationToken);

    /// <summary>Every workspace seen.</summary>
    Task<IReadOnlyList<AdminWorkspace>> WorkspacesAsync(CancellationToken cancellationToken);

    /// <summary>Every API key seen.</summary>
    Task<IReadOnlyList<AdminApiKey>> ApiKeysAsync(CancellationToken cancellationToken);
}
