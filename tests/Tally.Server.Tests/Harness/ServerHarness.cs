using System.Net.Http.Headers;
using System.Text.Json;
using Tally.Core.Pricing;
using Tally.Ingest.ClaudeCode;
using Tally.Ingest.Demo;
using Tally.Ingest.Sync;
using Tally.Storage.Sqlite;

namespace Tally.Server.Tests.Harness;

/// <summary>
/// A real <c>tally serve</c> host for one fixture: Kestrel on 127.0.0.1 with a port of its own, over a real SQLite index
/// file built from Claude Code data in a temporary folder (the demo generator's corpus, or the repository's sample), with
/// a fixed clock and UTC days.
/// </summary>
public sealed class ServerHarness : IAsyncDisposable
{
    /// <summary>The last day of the generated corpus.</summary>
    public static readonly DateOnly CorpusEnd = new(2026, 11, 20);

    /// <summary>"Now" for the generated corpus.</summary>
    public static readonly DateTimeOffset CorpusNow = new(2026, 11, 20, 18, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _temp = new();
    private SqliteUsageStore? _store;
    private TallyServer? _server;

    private ServerHarness()
    {
    }

    /// <summary>The Claude Code data folder (holding projects/).</summary>
    public string ClaudeDir => Path.Combine(_temp.Path, "claude");

    /// <summary>The index file.</summary>
    public string IndexFile => Path.Combine(_temp.Path, "data", "index.db");

    /// <summary>The temporary folder everything lives in.</summary>
    public string Root => _temp.Path;

    /// <summary>What the generator wrote (null for the sample).</summary>
    public CorpusSummary? Corpus { get; private set; }

    /// <summary>The server's address.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>A client for the server (no token).</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The server.</summary>
    internal TallyServer Server => _server!;

    /// <summary>The options the server runs with.</summary>
    public ServerOptions Options { get; private set; } = null!;

    /// <summary>The clock the server's data uses.</summary>
    public FakeClock Clock { get; } = new(CorpusNow);

    /// <summary>A server over the demo generator's corpus (six weeks to <see cref="CorpusEnd"/>).</summary>
    public static Task<ServerHarness> DemoAsync(Func<ServerOptions, ServerOptions>? options = null, Func<ServerData, ServerData>? data = null) =>
        StartAsync(h => h.Corpus = new CorpusGenerator().Write(h.ClaudeDir, CorpusOptions.Demo(CorpusEnd)), options, data);

    /// <summary>A server over a copy of the repository's sample data.</summary>
    public static Task<ServerHarness> SampleAsync(Func<ServerOptions, ServerOptions>? options = null, Func<ServerData, ServerData>? data = null) =>
        StartAsync(h => Copy(TestData.ClaudeSample, h.ClaudeDir), options, data);

    /// <summary>GET <paramref name="pathAndQuery"/>, checking the status, and parses the JSON body.</summary>
    public async Task<JsonElement> GetJsonAsync(string pathAndQuery, int status = 200)
    {
        using var response = await Client.GetAsync(pathAndQuery);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"GET {pathAndQuery}: {(int)response.StatusCode}, expected {status}\n{body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>A new client that sends <paramref name="token"/> as a bearer token.</summary>
    public HttpClient ClientWithToken(string? token)
    {
        var client = new HttpClient { BaseAddress = Address };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _temp.Dispose();
    }

    private static async Task<ServerHarness> StartAsync(Action<ServerHarness> seed, Func<ServerOptions, ServerOptions>? options, Func<ServerData, ServerData>? data)
    {
        var harness = new ServerHarness();
        try
        {
            seed(harness);
            harness._store = SqliteUsageStore.Open(harness.IndexFile);
            var files = ClaudeDataLocator.Discover([harness.ClaudeDir]).Files;
            await new TranscriptSync(harness._store, PriceCatalog.Embedded, new ProjectResolver()).RunAsync(files, null, CancellationToken.None);
            harness.Options = (options ?? (static o => o))(new ServerOptions
            {
                Port = 0,
                ChangePollInterval = TimeSpan.FromMilliseconds(100),
                EventKeepAlive = TimeSpan.FromSeconds(1),
            });
            var serverData = (data ?? (static d => d))(new ServerData
            {
                Store = harness._store,
                Catalog = PriceCatalog.Embedded,
                Zone = TimeZoneInfo.Utc,
                Clock = harness.Clock,
                Sync = new SyncSources(harness.IndexFile, [harness.ClaudeDir], new ProjectResolver()),
            });
            harness._server = TallyServer.Create(harness.Options, serverData);
            await harness._server.StartAsync(CancellationToken.None);
            harness.Address = harness._server.Addresses.Single();
            harness.Client = harness.ClientWithToken(harness.Options.Token);
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

/// <summary>One demo server shared by the tests of a class that only read.</summary>
public sealed class DemoServer : IAsyncLifetime
{
    public ServerHarness Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerHarness.DemoAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
