using System.CommandLine;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Tally.Cli.App;
using Tally.Ingest.Git;
using Tally.Server;
using Tally.Storage.Sqlite;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally serve</c>: the HTTP API (and the dashboard's files) on 127.0.0.1:7420, over the same index as every other
/// command, kept in sync by a file watcher and a periodic full sync. Runs until Ctrl+C.
/// </summary>
internal sealed class ServeCommand : Command
{
    /// <summary>The environment variable a token is read from.</summary>
    public const string TokenVariable = "TALLY_TOKEN";

    private readonly Option<int?> _port = new("--port") { Description = $"Port to listen on (default: serve.port in config.json, else {ServerOptions.DefaultPort})" };
    private readonly Option<string?> _host = new("--host") { Description = "Address to bind (default 127.0.0.1). Any other than loopback needs a token" };
    private readonly Option<bool> _readOnly = new("--read-only") { Description = "Refuse every request that changes something (a rescan)" };
    private readonly Option<string?> _token = new("--token") { Description = $"Bearer token every request must carry (prefer {TokenVariable} or serve.tokenFile: a flag shows in the process list)" };
    private readonly TallyContext _context;

    /// <summary>Creates the verb.</summary>
    public ServeCommand(TallyContext context)
        : base("serve", $"Serve the HTTP API and dashboard on 127.0.0.1:{ServerOptions.DefaultPort}, keeping the index in sync as transcripts grow")
    {
        _context = context;
        foreach (Option option in new Option[] { _port, _host, _readOnly, _token })
        {
            Options.Add(option);
        }

        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var environment = _context.Environment;
        var global = _context.Global.Read(result);
        await using var run = await TallyRun.OpenAsync(global, environment, cancellationToken);
        var errors = new List<string>();
        var serve = run.Config.Serve;
        var options = new ServerOptions
        {
            Host = result.GetValue(_host) ?? serve.Host ?? "127.0.0.1",
            Port = result.GetValue(_port) ?? serve.Port ?? ServerOptions.DefaultPort,
            Token = Token(result.GetValue(_token), serve, run, errors),
            ReadOnly = result.GetValue(_readOnly) || serve.ReadOnly == true,
            AllowedHosts = serve.AllowedHosts,
            SafetySyncInterval = TimeSpan.FromSeconds(serve.SyncSeconds ?? 60),
        };
        errors.AddRange(options.Check());
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                environment.Error.MarkupLineInterpolated($"[red]error:[/] {error}");
            }

            return ExitCodes.Usage;
        }

        await using var readers = ReaderConnections.Open(run, serve.Readers ?? ReaderConnections.Default);
        var data = new ServerData
        {
            Store = run.Store,
            Readers = readers.Readers,
            Catalog = run.Catalog,
            Zone = run.Config.TimeZone is { } id ? App.Options.FindZone(id) ?? environment.LocalZone : environment.LocalZone,
            CostMode = run.Config.CostMode ?? Core.Storage.CostMode.Auto,
            ProjectAliases = run.Config.ProjectAliases,
            Agents = run.Config.Agents,
            StartOfWeek = run.Config.StartOfWeek ?? DayOfWeek.Monday,
            ClaudeCodeWorkspaces = run.Config.Admin.ClaudeCodeWorkspaces,
            Clock = environment.Clock,
            WorktreeChanges = new GitWorktreeChanges(),
            UserFiles = new UserFiles(run.Paths),
            Sync = global.NoSync ? null : new SyncSources(run.Paths.IndexFile, run.Roots, run.Resolver)
            {
                // As after every command's sync: limit-line alerts and the budget check, with budgets.json as it is now.
                AfterSync = (report, token) => TallyRun.AfterSyncAsync(report, run.Budgets, environment.Clock, token, App.BudgetsFile.Load(run.Paths.BudgetsFile, [])),
                FreshnessSocket = Ingest.Sync.FreshnessSocket.PathFor(run.Paths.IndexFile, environment.Variable),
            },
            RateLimits = new StoredRateLimitSignals(run.Store),
            Budgets = ProxySetup.Budgets(run),
            Proxy = run.Config.Proxy.Enabled == false ? null : ProxySetup.Options(run, options.Token, errors),
        };
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                environment.Error.MarkupLineInterpolated($"[red]error:[/] {error}");
            }

            return ExitCodes.Usage;
        }

        await using var server = TallyServer.Create(options, data, logging => logging.AddProvider(new ConsoleLog(environment.Error, environment.Clock)));
        try
        {
            await server.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            environment.Error.MarkupLineInterpolated($"[red]error:[/] cannot listen on {options.Host}:{options.Port} ({ex.Message}). `--port` picks another port.");
            return ExitCodes.Failed;
        }

        var console = environment.Console;
        foreach (var address in server.Addresses)
        {
            console.MarkupLineInterpolated($"Tally serves [bold]{address}[/]: the dashboard there, the API under /api (OpenAPI at /openapi.json, events at /api/events).");
            if (data.Proxy is { } proxy)
            {
                console.MarkupLineInterpolated($"Metering proxy to {proxy.Upstream}: ANTHROPIC_BASE_URL={address.AbsoluteUri.TrimEnd('/')} (or …/agents/<name> per agent).");
            }
        }

        console.MarkupLineInterpolated($"Index: {run.Paths.IndexFile}. {Mode(options, data)} Press Ctrl+C to stop.");
        await server.RunUntilCancelledAsync(cancellationToken);
        return ExitCodes.Ok;
    }

    private static string Mode(ServerOptions options, ServerData data) =>
        string.Join(' ', new[]
        {
            data.Sync is null ? "Not syncing (--no-sync)." : "Syncing as transcripts change.",
            data.Readers is { Count: > 1 } readers ? $"{readers.Count} connections read the index side by side." : null,
            options.ReadOnly ? "Read-only." : null,
            options.Token is null ? null : "Every request needs the bearer token.",
        }.OfType<string>());

    /// <summary>The token: the flag, else TALLY_TOKEN, else the configured token file (which must be private to its owner).</summary>
    internal static string? Token(string? flag, ServeConfig serve, TallyRun run, List<string> errors)
    {
        if (!string.IsNullOrEmpty(flag))
        {
            return flag;
        }

        if (run.Environment.Variable(TokenVariable) is { Length: > 0 } variable)
        {
            return variable.Trim();
        }

        if (serve.TokenFile is not { Length: > 0 } file)
        {
            return null;
        }

        var path = TallyPaths.ExpandHome(file, TallyPaths.Home(run.Environment.Variable));
        try
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            {
                errors.Add($"{path} (serve.tokenFile) can be read by other users; make it private: chmod 600 {path}");
                return null;
            }

            return File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path} (serve.tokenFile) cannot be read: {ex.Message}");
            return null;
        }
    }

    /// <summary>The connections that answer read requests: the run's store and <c>serve.readers</c> − 1 more to its
    /// file, which this owns and closes.</summary>
    private sealed class ReaderConnections(StoreReaders? readers, IReadOnlyList<SqliteUsageStore> opened) : IAsyncDisposable
    {
        /// <summary>Readers when config.json names none.</summary>
        public const int Default = 2;

        /// <summary>Null when one connection reads (or the store is not a SQLite file).</summary>
        public StoreReaders? Readers { get; } = readers;

        public static ReaderConnections Open(TallyRun run, int count)
        {
            if (count <= 1 || run.Store is not SqliteUsageStore main)
            {
                return new ReaderConnections(null, []);
            }

            var opened = new List<SqliteUsageStore>();
            for (var i = 1; i < count; i++)
            {
                opened.Add(SqliteUsageStore.Open(main.Path));
            }

            return new ReaderConnections(new StoreReaders([main, .. opened]), opened);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var store in opened)
            {
                await store.DisposeAsync();
            }
        }
    }
}
