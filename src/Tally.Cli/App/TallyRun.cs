using Spectre.Console;
using Tally.Core.Budgets;
using Tally.Core.Limits;
using Tally.Core.Pricing;
using Tally.Core.Storage;
using Tally.Ingest.ClaudeCode;
using Tally.Ingest.Sync;
using Tally.Storage.Sqlite;

namespace Tally.Cli.App;

/// <summary>
/// One command's view of Tally: the configuration, the price catalog, the index (synced with the transcripts on
/// disk unless told not to) and where the transcripts were looked for.
/// </summary>
internal sealed class TallyRun : IAsyncDisposable
{
    /// <summary>How long a command waits for a running watcher's answer before walking the transcripts itself (the
    /// watcher may first finish a sync in progress).</summary>
    private static readonly TimeSpan WatcherPatience = TimeSpan.FromSeconds(30);

    private TallyRun(TallyEnvironment environment, TallyPaths paths, TallyConfig config, PriceCatalog catalog, IUsageStore store, Discovery discovery, IReadOnlyList<string> roots, ProjectResolver resolver, TranscriptSync syncer)
    {
        Roots = roots;
        Resolver = resolver;
        Syncer = syncer;
        Environment = environment;
        Paths = paths;
        Config = config;
        Catalog = catalog;
        Store = store;
        Discovery = discovery;
    }

    /// <summary>The outside world.</summary>
    public TallyEnvironment Environment { get; }

    /// <summary>Where the index and configuration are.</summary>
    public TallyPaths Paths { get; }

    /// <summary>The user's defaults.</summary>
    public TallyConfig Config { get; }

    /// <summary>The price catalog in force.</summary>
    public PriceCatalog Catalog { get; }

    /// <summary>The index.</summary>
    public IUsageStore Store { get; }

    /// <summary>The transcripts found, and the folders searched.</summary>
    public Discovery Discovery { get; }

    /// <summary>The Claude Code data roots searched (each with its <c>projects/</c> folder).</summary>
    public IReadOnlyList<string> Roots { get; }

    /// <summary>Maps working directories to projects (the configuration's worktree patterns).</summary>
    public ProjectResolver Resolver { get; }

    /// <summary>The sync over this run's index, catalog and project resolver (the live monitor syncs again with it).</summary>
    public TranscriptSync Syncer { get; }

    /// <summary>What the sync did (null with <c>--no-sync</c>).</summary>
    public SyncReport? Sync { get; private set; }

    /// <summary>The budgets and the alert channels.</summary>
    public BudgetRuntime Budgets { get; private set; } = null!;

    /// <summary>The budget check that followed the sync (null with <c>--no-sync</c>, or with no budget).</summary>
    public BudgetCheck? BudgetCheck { get; private set; }

    /// <summary>True when no searched folder exists: there is no Claude Code data on this machine (or where pointed).</summary>
    public bool NoDataFolder => !Discovery.Searched.Any(static s => s.Exists);

    /// <summary>True when there is nothing to report: no data folder was found and the index holds no record either
    /// (records of deleted transcripts still count as data).</summary>
    public async Task<bool> HasNoDataAsync(CancellationToken cancellationToken) =>
        NoDataFolder && (await Store.ModelsAsync(cancellationToken)).Count == 0;

    /// <summary>Opens the index, loads configuration and prices, and syncs (reporting configuration problems on stderr).</summary>
    public static async Task<TallyRun> OpenAsync(GlobalSettings settings, TallyEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(environment);
        var errors = new List<string>();
        var paths = TallyPaths.Resolve(settings.DataDirectory, settings.ConfigDirectory, environment.Variable);
        var config = TallyConfig.Load(paths.ConfigFile, errors);
        var catalog = CatalogLoader.Load(paths, errors);
        var resolver = ResolverFor(config, paths, errors);
        IReadOnlyList<string> roots;
        if (settings.Demo)
        {
            paths = DemoData.PathsFor(paths);
            roots = [DemoData.Ensure(paths, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(environment.Clock.GetUtcNow(), environment.LocalZone).DateTime))];
        }
        else
        {
            var home = TallyPaths.Home(environment.Variable);
            roots = settings.ClaudeDirectories is { Count: > 0 } given
                ? [.. given.Select(d => TallyPaths.ExpandHome(d, home))]
                : ClaudeDataLocator.DefaultRoots(environment.Variable);
        }

        foreach (var error in errors)
        {
            environment.Error.MarkupLineInterpolated($"[yellow]warning:[/] {error}");
        }

        // A running `tally serve` that watches these folders can vouch for the index: then no transcript is looked at.
        var started = System.Diagnostics.Stopwatch.StartNew();
        var vouched = settings.NoSync || !settings.AskWatcher ? null : await AskWatcherAsync(paths, roots, environment, cancellationToken);
        var store = SqliteUsageStore.Open(paths.IndexFile);
        var syncer = new TranscriptSync(store, catalog, resolver, clock: environment.FileClock);
        Discovery discovery;
        try
        {
            // The listings the index kept spare a warm sync from listing every directory again.
            discovery = settings.NoSync || vouched is not null ? ClaudeDataLocator.Probe(roots) : await syncer.DiscoverAsync(roots, cancellationToken);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }

        var run = new TallyRun(environment, paths, config, catalog, store, discovery, roots, resolver, syncer);
        try
        {
            var budgetErrors = new List<string>();
            run.Budgets = BudgetRuntime.Create(environment, config, paths, store, budgetErrors);
            foreach (var error in budgetErrors)
            {
                environment.Error.MarkupLineInterpolated($"[yellow]warning:[/] {error}");
            }

            if (vouched is not null)
            {
                // The watcher synced what changed; a price change since it priced them is still this run's to apply.
                run.Sync = new SyncReport
                {
                    Vouched = true,
                    FilesRead = vouched.FilesRead,
                    RecordsRead = vouched.RecordsRead,
                    Problems = vouched.Problems,
                    Repriced = await store.RepriceAsync(catalog, cancellationToken),
                    Elapsed = started.Elapsed,
                };
                run.BudgetCheck = await AfterSyncAsync(run.Sync, run.Budgets, environment.Clock, cancellationToken);
            }
            else if (!settings.NoSync)
            {
                run.Sync = await SyncProgressDisplay.RunAsync(environment, p => run.Syncer.RunAsync(discovery.Files, p, cancellationToken));
                run.BudgetCheck = await AfterSyncAsync(run.Sync, run.Budgets, environment.Clock, cancellationToken);
            }
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }

        return run;
    }

    /// <summary>
    /// What every sync is followed by: the rate-limit alert for each limit line it committed whose limit is still in
    /// force (once per limit and reset, when <c>alerts.rateLimits</c> is on), then the budget check (a few aggregates
    /// bounded by their windows; nothing when there is no budget). Returns the check, or null without budgets.
    /// </summary>
    /// <param name="sync">What the sync did.</param>
    /// <param name="budgets">The run's budgets and alert channels.</param>
    /// <param name="clock">"Now".</param>
    /// <param name="cancellationToken">Stops the check.</param>
    /// <param name="current">The budgets to check when they may have changed since the run began (a long-running
    /// <c>tally serve</c> re-reads budgets.json); the run's own list when null.</param>
    public static async Task<BudgetCheck?> AfterSyncAsync(SyncReport sync, BudgetRuntime budgets, TimeProvider clock, CancellationToken cancellationToken, IReadOnlyList<Budget>? current = null)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(budgets);
        ArgumentNullException.ThrowIfNull(clock);
        foreach (var hit in LimitLineHits.InForce(sync.LimitSignals, clock.GetUtcNow()))
        {
            await budgets.Monitor.RateLimitHitAsync(hit, cancellationToken);
        }

        var list = current ?? budgets.Budgets;
        return list.Count > 0 ? await budgets.Monitor.CheckAsync(list, cancellationToken) : null;
    }

    /// <summary>Where every budget stands: the check that followed the sync, or (without one) an evaluation that raises
    /// no alert.</summary>
    public async Task<IReadOnlyList<BudgetStatus>> BudgetStatusesAsync(CancellationToken cancellationToken) =>
        BudgetCheck?.Statuses ?? await Budgets.Evaluator.EvaluateAsync(Budgets.Budgets, cancellationToken);

    /// <summary>Waits for alert deliveries still in flight (bounded by their own limits), then closes the index.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Budgets is not null)
            {
                await Budgets.DisposeAsync();
            }
        }
        finally
        {
            await Store.DisposeAsync();
        }
    }

    /// <summary>The answer of the watcher serving this index, when it says the index is current; null otherwise (no
    /// watcher runs, it watches other folders, it lost events, or it did not answer in time).</summary>
    private static async Task<FreshnessAnswer?> AskWatcherAsync(TallyPaths paths, IReadOnlyList<string> roots, TallyEnvironment environment, CancellationToken cancellationToken)
    {
        var socket = FreshnessSocket.PathFor(paths.IndexFile, environment.Variable);
        var request = new FreshnessRequest(paths.IndexFile, [.. roots.Select(static r => Path.GetFullPath(Path.Combine(r, "projects")))]);
        var answer = await FreshnessClient.AskAsync(socket, request, WatcherPatience, cancellationToken);
        return answer is { Fresh: true } ? answer : null;
    }

    private static ProjectResolver ResolverFor(TallyConfig config, TallyPaths paths, List<string> errors)
    {
        try
        {
            return new ProjectResolver(config.WorktreePatterns);
        }
        catch (ArgumentException ex)
        {
            errors.Add($"{paths.ConfigFile}: \"worktreePatterns\" holds an invalid regular expression ({ex.Message}); the default patterns are used.");
            return new ProjectResolver();
        }
    }
}
