using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Tally.Core.Pricing;
using Tally.Core.Usage;
using Tally.Server;
using Tally.Storage.Sqlite;

namespace Tally.Proxy.Tests.Harness;

/// <summary>
/// <c>tally serve</c> with the metering proxy on (Kestrel, 127.0.0.1), over a real SQLite index in a temporary folder,
/// forwarding to a <see cref="FakeUpstream"/>; every log line is captured.
/// </summary>
public sealed class ProxyHarness : IAsyncDisposable
{
    private readonly TempDirectory _temp = new();

    private ProxyHarness()
    {
    }

    public FakeUpstream Upstream { get; private set; } = null!;

    public SqliteUsageStore Store { get; private set; } = null!;

    internal TallyServer Server { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public string IndexFile => Path.Combine(_temp.Path, "index.db");

    public string Root => _temp.Path;

    public ConcurrentQueue<string> Logs { get; } = new();

    public static async Task<ProxyHarness> StartAsync(Func<ProxyOptions, ProxyOptions>? proxy = null, Func<ServerOptions, ServerOptions>? server = null, Func<ProxyOptions, SqliteUsageStore, ProxyOptions>? withStore = null)
    {
        var harness = new ProxyHarness();
        try
        {
            harness.Upstream = await FakeUpstream.StartAsync();
            harness.Store = SqliteUsageStore.Open(harness.IndexFile);
            var options = (proxy ?? (static o => o))(new ProxyOptions { Upstream = harness.Upstream.Address, AccountSalt = [.. Enumerable.Range(1, 32).Select(static i => (byte)i)] });
            options = withStore?.Invoke(options, harness.Store) ?? options;
            harness.Server = TallyServer.Create(
                (server ?? (static o => o))(new ServerOptions { Port = 0 }),
                new ServerData { Store = harness.Store, Catalog = PriceCatalog.Embedded, Zone = TimeZoneInfo.Utc, Proxy = options, Budgets = options.Budgets, RateLimits = new StoredRateLimitSignals(harness.Store) },
                logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new CapturingLogs(harness.Logs)));
            await harness.Server.StartAsync(CancellationToken.None);
            harness.Address = harness.Server.Addresses.Single();
            harness.Client = new HttpClient { BaseAddress = harness.Address };
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the proxy's writer has stored everything queued so far.</summary>
    public Task DrainAsync() => Server.DrainProxyAsync(CancellationToken.None);

    public async Task<List<UsageRecord>> RecordsAsync()
    {
        await DrainAsync();
        var records = new List<UsageRecord>();
        await foreach (var record in Store.ReadRecordsAsync(new Core.Storage.UsageQuery(), CancellationToken.None))
        {
            records.Add(record);
        }

        return records;
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (Store is not null)
        {
            await Store.DisposeAsync();
        }

        if (Upstream is not null)
        {
            await Upstream.DisposeAsync();
        }

        _temp.Dispose();
    }

    private sealed class CapturingLogs(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
