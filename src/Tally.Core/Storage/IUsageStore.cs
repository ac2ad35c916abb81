using Tally.Core.Alerts;
using Tally.Core.Limits;
using Tally.Core.Pricing;
using Tally.Core.Usage;

namespace Tally.Core.Storage;

/// <summary>
/// The index of usage records. Every write is idempotent: committing the same records again, in any order,
/// from any number of processes, leaves the same totals. SQLite implements it for one machine; a server
/// database can implement it for a team without changing callers.
/// </summary>
public interface IUsageStore : IAsyncDisposable
{
    /// <summary>Every file cursor the index holds, by path.</summary>
    Task<IReadOnlyDictionary<string, FileCursor>> LoadCursorsAsync(CancellationToken cancellationToken);

    /// <summary>The file cursors of <paramref name="paths"/> the index holds (a sync of a few files need not load them all).</summary>
    Task<IReadOnlyDictionary<string, FileCursor>> LoadCursorsAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken);

    /// <summary>
    /// Compares <paramref name="files"/> (every file there is) with the cursors the index holds, without loading them: which
    /// files need reading, and which files the index holds were not among them. A warm sync's check.
    /// </summary>
    Task<FileComparison> CompareFilesAsync(IReadOnlyList<FileState> files, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a write transaction for a sync's batches. Large transactions are cheaper (B-tree pages that many records
    /// touch are written once), so a sync commits every few tens of thousands of records or every second.
    /// </summary>
    Task<IIngestTransaction> BeginIngestAsync(CancellationToken cancellationToken);

    /// <summary>Marks files as gone (their records stay).</summary>
    Task MarkMissingAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken);

    /// <summary>Every directory listing a sync kept (see <see cref="DirectoryListing"/>).</summary>
    Task<IReadOnlyList<DirectoryListing>> LoadListingsAsync(CancellationToken cancellationToken);

    /// <summary>Keeps <paramref name="listed"/> (replacing what was kept for the same paths) and forgets the listings of
    /// <paramref name="gone"/>, in one transaction.</summary>
    Task SaveListingsAsync(IReadOnlyCollection<DirectoryListing> listed, IReadOnlyCollection<string> gone, CancellationToken cancellationToken);

    /// <summary>Sums records by the query's grouping (every filter of the query applies to each record).</summary>
    Task<IReadOnlyList<AggregateRow>> AggregateAsync(UsageQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Sums the records of each session's agents (the session's own and each subagent) by working directory, branch,
    /// project, model, proxy agent and billing as the proxy saw it, with each session's first call ever. Records with
    /// neither a session nor a proxy agent are left out. The query's time range, models, projects, session, sources and
    /// cost mode apply; its grouping is ignored.
    /// </summary>
    Task<IReadOnlyList<AgentActivityRow>> AgentActivityAsync(UsageQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Every record the query's filters select (time range, models, projects, session; grouping and cost mode are
    /// ignored), oldest first, read lazily from a forward-only cursor: memory does not grow with the number of records.
    /// The store stays usable while the enumeration runs (it reads through a connection of its own, one consistent
    /// snapshot). The records carry their price (without the catalog model, which is not stored).
    /// </summary>
    IAsyncEnumerable<UsageRecord> ReadRecordsAsync(UsageQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Visits every record the query's filters (time, models, projects, session) select, oldest first, each as a row of
    /// its own (<see cref="AggregateRow.Calls"/> = 1, <see cref="AggregateRow.FirstSeen"/> = <see cref="AggregateRow.LastSeen"/>
    /// = its time, <see cref="AggregateRow.Model"/> and <see cref="AggregateRow.Bucket"/> set); the grouping is ignored.
    /// For the few computations that need each call's exact time. <paramref name="visit"/> must not use the store.
    /// </summary>
    Task ScanRecordsAsync(UsageQuery query, Action<AggregateRow> visit, CancellationToken cancellationToken);

    /// <summary>
    /// Records plan-limit signals. Idempotent by <see cref="ObservedSignal.Key"/>: a signal recorded again only widens
    /// its first and last observation times.
    /// </summary>
    Task RecordSignalsAsync(IReadOnlyCollection<ObservedSignal> signals, CancellationToken cancellationToken);

    /// <summary>The signals last observed at or after <paramref name="since"/>, oldest first.</summary>
    Task<IReadOnlyList<ObservedSignal>> SignalsAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>
    /// Records what the metering proxy saw, in one transaction: calls (upserted by key like a sync's records, keeping
    /// the proxy's details whichever sighting ranks higher), plan-limit signals (idempotent by key) and the latest
    /// rate-limit headers per account and name. The records must be priced.
    /// </summary>
    Task RecordProxyAsync(IReadOnlyCollection<UsageRecord> records, IReadOnlyCollection<ObservedSignal> signals, IReadOnlyCollection<RateLimitHeader> headers, CancellationToken cancellationToken);

    /// <summary>The latest rate-limit headers per account and name (what <see cref="RecordProxyAsync"/> kept).</summary>
    Task<IReadOnlyList<RateLimitHeader>> RateLimitHeadersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Records that a paused budget was resumed for <paramref name="subject"/> (empty for a budget without subjects) in
    /// the window starting at <paramref name="windowStart"/>: the proxy lets the subject's requests through until the
    /// window resets. Idempotent.
    /// </summary>
    Task ResumeBudgetAsync(string budget, string subject, DateTimeOffset windowStart, DateTimeOffset resumedAt, CancellationToken cancellationToken);

    /// <summary>True when <see cref="ResumeBudgetAsync"/> was called for this budget, subject and window.</summary>
    Task<bool> IsBudgetResumedAsync(string budget, string subject, DateTimeOffset windowStart, CancellationToken cancellationToken);

    /// <summary>The distinct model ids indexed, with whether the catalog priced them.</summary>
    Task<IReadOnlyList<(string Model, bool Unpriced)>> ModelsAsync(CancellationToken cancellationToken);

    /// <summary>How many source lines could not be counted (what <see cref="ProblemsAsync"/> would list).</summary>
    Task<long> CountProblemsAsync(CancellationToken cancellationToken);

    /// <summary>The problems found in source lines, by file and line.</summary>
    Task<IReadOnlyList<IngestProblem>> ProblemsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A number that changes whenever something other than this store object (another process, or another store on the
    /// same index) has committed a change to the index since the last call: a cheap probe for a live view.
    /// </summary>
    Task<long> ChangeStampAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Re-prices every record whose stored catalog version differs from <paramref name="catalog"/>'s.
    /// Returns the number of records whose cost changed.
    /// </summary>
    Task<int> RepriceAsync(PriceCatalog catalog, CancellationToken cancellationToken);

    /// <summary>
    /// Records <paramref name="alert"/> unless an alert with its <see cref="Alert.Key"/> is already recorded (by this or
    /// any other process). Returns the recorded alert, with its id, when it is new (the caller delivers it); null when
    /// it was raised before.
    /// </summary>
    Task<Alert?> AddAlertAsync(Alert alert, CancellationToken cancellationToken);

    /// <summary>Records what a channel did with an alert (a later outcome for the same channel replaces the earlier).</summary>
    Task RecordDeliveryAsync(long alertId, AlertDelivery delivery, CancellationToken cancellationToken);

    /// <summary>The alerts raised from <paramref name="from"/> (inclusive) until <paramref name="until"/> (exclusive),
    /// oldest first, with their deliveries.</summary>
    Task<IReadOnlyList<Alert>> AlertsAsync(DateTimeOffset? from, DateTimeOffset? until, CancellationToken cancellationToken);
}
