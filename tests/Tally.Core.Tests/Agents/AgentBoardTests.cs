using Tally.Core.Agents;
using Tally.Core.Alerts;
using Tally.Core.Limits;
using Tally.Core.Pricing;
using Tally.Core.Storage;
using Tally.Core.Usage;

namespace Tally.Core.Tests.Agents;

/// <summary>How rows become cards; the rows themselves come from the real index in the CLI and storage tests.</summary>
public class AgentBoardTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_session_and_its_subagents_make_one_card_with_the_main_agents_latest_directory_and_branch()
    {
        var store = new RowsStore(
            Row("s1", null, "/r/app", "main", Start, Start.AddMinutes(10), calls: 3, cost: 1.5m),
            Row("s1", null, "/r/app/.worktrees/fix", "fix", Start.AddMinutes(20), Start.AddMinutes(30), calls: 2, cost: 0.5m),
            Row("s1", "sub-a", "/r/app/.worktrees/fix", "fix", Start.AddMinutes(21), Start.AddMinutes(40), calls: 4, cost: 0.25m),
            Row("s1", "sub-b", "/r/app", "main", Start.AddMinutes(5), Start.AddMinutes(6), calls: 1, cost: 0.125m),
            Row("s2", null, "/r/blog", "draft", Start, Start.AddMinutes(1), calls: 1, cost: 0.01m));
        var board = new AgentBoard(store, new AgentSettings(), new Clock(Start.AddMinutes(42)), changes: null);

        var cards = await board.BuildAsync(new UsageQuery(), CancellationToken.None);

        Assert.Equal(["s1", "s2"], cards.Select(static c => c.SessionId));
        var card = cards[0];
        Assert.Equal("/r/app/.worktrees/fix", card.Directory);
        Assert.Equal("fix", card.Label);
        Assert.Equal(LabelSource.Branch, card.LabelSource);
        Assert.Equal(10, card.Totals.Messages);
        Assert.Equal(2.375m, card.Totals.CostUsd);
        Assert.Equal(5, card.Main.Messages);
        Assert.Equal(["sub-b", "sub-a"], card.Subagents.Select(static s => s.AgentId));
        Assert.Equal(Start.AddMinutes(40), card.LastActivity);
        Assert.Equal(TimeSpan.FromMinutes(40), card.WorkingFor);
    }

    [Fact]
    public async Task Status_is_active_within_the_window_of_now_and_idle_after_it()
    {
        var store = new RowsStore(
            Row("s1", null, "/r/app", "main", Start, Start.AddMinutes(10), calls: 1, cost: 0),
            Row("s1", "sub", "/r/app", "main", Start, Start.AddMinutes(2), calls: 1, cost: 0));
        var clock = new Clock(Start.AddMinutes(15));
        var board = new AgentBoard(store, new AgentSettings(), clock, changes: null);

        var atFive = Assert.Single(await board.BuildAsync(new UsageQuery(), CancellationToken.None));
        Assert.Equal(AgentStatus.Active, atFive.Status);
        Assert.Equal(AgentStatus.Idle, Assert.Single(atFive.Subagents).Status);

        clock.Now = Start.AddMinutes(15).AddSeconds(1);
        Assert.Equal(AgentStatus.Idle, Assert.Single(await board.BuildAsync(new UsageQuery(), CancellationToken.None)).Status);

        var wide = new AgentBoard(store, new AgentSettings { ActiveWindow = TimeSpan.FromMinutes(30) }, clock, changes: null);
        Assert.Equal(AgentStatus.Active, Assert.Single(await wide.BuildAsync(new UsageQuery(), CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Active_cards_come_first_then_the_newest()
    {
        var store = new RowsStore(
            Row("old", null, "/a", null, Start, Start.AddMinutes(1), calls: 1, cost: 0),
            Row("recent", null, "/b", null, Start, Start.AddMinutes(50), calls: 1, cost: 0),
            Row("active", null, "/c", null, Start, Start.AddMinutes(58), calls: 1, cost: 0));
        var board = new AgentBoard(store, new AgentSettings(), new Clock(Start.AddMinutes(60)), changes: null);
        var cards = await board.BuildAsync(new UsageQuery(), CancellationToken.None);
        Assert.Equal(["active", "recent", "old"], cards.Select(static c => c.SessionId));
        Assert.Equal([AgentStatus.Active, AgentStatus.Idle, AgentStatus.Idle], cards.Select(static c => c.Status));
        Assert.Null(cards[0].Label);
        Assert.Equal(LabelSource.None, cards[0].LabelSource);
    }

    [Fact]
    public async Task Working_time_starts_at_the_sessions_first_call_even_before_the_range()
    {
        var store = new RowsStore(Row("s1", null, "/a", "main", Start.AddHours(2), Start.AddHours(3), calls: 1, cost: 0) with { SessionFirstSeen = Start });
        var board = new AgentBoard(store, new AgentSettings(), new Clock(Start.AddHours(3)), changes: null);
        var card = Assert.Single(await board.BuildAsync(new UsageQuery(), CancellationToken.None));
        Assert.Equal(Start, card.StartedAt);
        Assert.Equal(TimeSpan.FromHours(3), card.WorkingFor);
        Assert.Equal(Start.AddHours(2), card.Totals.FirstActivity);
    }

    [Fact]
    public async Task Changes_are_read_once_per_directory_and_a_configured_label_wins_over_the_branch()
    {
        var store = new RowsStore(
            Row("s1", null, "/a", "main", Start, Start, calls: 1, cost: 0),
            Row("s2", null, "/a", "main", Start, Start, calls: 1, cost: 0),
            Row("s3", null, "/gone", "main", Start, Start, calls: 1, cost: 0));
        var changes = new Changes { ["/a"] = new WorktreeChanges(142, 38, 3) };
        var settings = new AgentSettings { Labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["s2"] = "refactor" } };
        var cards = await new AgentBoard(store, settings, new Clock(Start), changes).BuildAsync(new UsageQuery(), CancellationToken.None);

        Assert.Equal([new WorktreeChanges(142, 38, 3), new WorktreeChanges(142, 38, 3), (WorktreeChanges?)null], cards.OrderBy(static c => c.SessionId).Select(static c => c.Changes));
        Assert.Equal(["/a", "/gone"], changes.Asked.Order(StringComparer.Ordinal));
        var s2 = cards.Single(static c => c.SessionId == "s2");
        Assert.Equal(("refactor", LabelSource.Configured), (s2.Label, s2.LabelSource));
    }

    private static AgentActivityRow Row(string session, string? agent, string cwd, string? branch, DateTimeOffset first, DateTimeOffset last, long calls, decimal cost) => new()
    {
        SessionId = session,
        AgentId = agent,
        Cwd = cwd,
        GitBranch = branch,
        Project = cwd,
        Model = "claude-sonnet-4-5",
        Calls = calls,
        CostUsd = cost,
        Tokens = new TokenCounts(calls, calls, 0, 0, 0),
        FirstSeen = first,
        LastSeen = last,
        SessionFirstSeen = first,
    };

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class Changes : Dictionary<string, WorktreeChanges>, IWorktreeChanges
    {
        public System.Collections.Concurrent.ConcurrentBag<string> Asked { get; } = [];

        public Task<WorktreeChanges?> ReadAsync(string directory, CancellationToken cancellationToken)
        {
            Asked.Add(directory);
            return Task.FromResult(TryGetValue(directory, out var found) ? found : (WorktreeChanges?)null);
        }
    }

    /// <summary>A store that only answers agent activity, with the rows it was given.</summary>
    private sealed class RowsStore(params AgentActivityRow[] rows) : IUsageStore
    {
        public Task<IReadOnlyList<AgentActivityRow>> AgentActivityAsync(UsageQuery query, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<AgentActivityRow>>(rows);

        public Task<IReadOnlyDictionary<string, FileCursor>> LoadCursorsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyDictionary<string, FileCursor>> LoadCursorsAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IIngestTransaction> BeginIngestAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task MarkMissingAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<FileComparison> CompareFilesAsync(IReadOnlyList<FileState> files, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<DirectoryListing>> LoadListingsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SaveListingsAsync(IReadOnlyCollection<DirectoryListing> listed, IReadOnlyCollection<string> gone, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<AggregateRow>> AggregateAsync(UsageQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<UsageRecord> ReadRecordsAsync(UsageQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<(string Model, bool Unpriced)>> ModelsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<long> CountProblemsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<IngestProblem>> ProblemsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<int> RepriceAsync(PriceCatalog catalog, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Alert?> AddAlertAsync(Alert alert, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RecordDeliveryAsync(long alertId, AlertDelivery delivery, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<Alert>> AlertsAsync(DateTimeOffset? from, DateTimeOffset? until, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task ScanRecordsAsync(UsageQuery query, Action<AggregateRow> visit, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RecordSignalsAsync(IReadOnlyCollection<ObservedSignal> signals, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ObservedSignal>> SignalsAsync(DateTimeOffset since, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<long> ChangeStampAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RecordProxyAsync(IReadOnlyCollection<UsageRecord> records, IReadOnlyCollection<ObservedSignal> signals, IReadOnlyCollection<RateLimitHeader> headers, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<RateLimitHeader>> RateLimitHeadersAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task ResumeBudgetAsync(string budget, string subject, DateTimeOffset windowStart, DateTimeOffset resumedAt, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> IsBudgetResumedAsync(string budget, string subject, DateTimeOffset windowStart, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
