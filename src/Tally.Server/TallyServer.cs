using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tally.Proxy;
using Tally.Server.Api;
using Tally.Server.Dashboard;
using Tally.Server.Live;
using Tally.Server.Safety;

namespace Tally.Server;

/// <summary>
/// <c>tally serve</c>'s web host: Kestrel on one address, the API, the events stream and the dashboard's files, with the
/// index kept in sync by a file watcher and a periodic full sync. Built with the slim builder, handlers as plain request
/// delegates writing JSON through <see cref="System.Text.Json.Utf8JsonWriter"/>: nothing that Native AOT cannot compile.
/// </summary>
public sealed class TallyServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _started;
    private bool _stopped;

    private TallyServer(WebApplication app) => _app = app;

    /// <summary>The query parameters each API route accepts ("METHOD /path"): what the OpenAPI document must list.</summary>
    internal static IReadOnlyDictionary<string, IReadOnlyList<Http.Parameter>> Parameters { get; } = new Dictionary<string, IReadOnlyList<Http.Parameter>>(StringComparer.Ordinal)
    {
        ["GET /api/costs"] = CostsEndpoints.CostsParameters,
        ["GET /api/costs/projects"] = CostsEndpoints.ProjectsParameters,
        ["GET /api/costs/rate-limits"] = [],
        ["POST /api/costs/rescan"] = [],
        ["GET /api/stats"] = StatsEndpoints.StatsParameters,
        ["GET /api/stats/sessions"] = StatsEndpoints.SessionsParameters,
        ["GET /api/stats/tools"] = StatsEndpoints.ToolsParameters,
        ["GET /api/agents"] = AgentsEndpoint.Parameters,
        ["GET /api/limits"] = LimitsEndpoint.Parameters,
        ["GET /api/budgets"] = [],
        ["GET /api/alerts"] = AlertsEndpoint.Parameters,
        ["GET /api/export"] = ExportEndpoint.Parameters,
        ["GET /api/admin/costs"] = BilledEndpoints.CostsParameters,
        ["GET /api/admin/usage"] = BilledEndpoints.UsageParameters,
        ["GET /api/admin/claude-code"] = BilledEndpoints.ClaudeCodeParameters,
        ["GET /api/reconcile"] = BilledEndpoints.ReconcileParameters,
        ["GET /api/events"] = [],
        ["POST /api/budgets/resume"] = BudgetResumeEndpoint.ResumeParameters,
        ["GET /openapi.json"] = [],
    };

    /// <summary>Every route mapped, as "METHOD /pattern" (tests compare them with the OpenAPI document).</summary>
    internal IEnumerable<string> Routes =>
        _app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .SelectMany(static e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => $"{m} /{e.RoutePattern.RawText?.Trim('/')}"));

    /// <summary>The addresses Kestrel listens on (known once started; port 0 becomes the port it chose).</summary>
    public IReadOnlyList<Uri> Addresses =>
        [.. (_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []).Select(static a => new Uri(a))];

    /// <summary>Builds the server. <paramref name="options"/> must pass <see cref="ServerOptions.Check"/>.</summary>
    /// <param name="options">Address, port, token, read-only mode and timings.</param>
    /// <param name="data">The index and settings the API answers from.</param>
    /// <param name="logging">Adds log providers (none: nothing is logged).</param>
    public static TallyServer Create(ServerOptions options, ServerData data, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        if (options.Check() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(' ', errors), nameof(options));
        }

        var bind = BindAddress.Parse(options.Host)!;
        var builder = ServerHost.CreateBuilder("Tally.Server");
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(bind.Address, options.Port);
        });

        var changes = new IndexChanges();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(data);
        builder.Services.AddHostedService(sp => new ChangeMonitor(data, options, changes, sp.GetRequiredService<ILogger<ChangeMonitor>>()));
        if (data.Sync is { } sources)
        {
            builder.Services.AddSingleton(sp => new TranscriptIndexer(sources, data.Catalog, options, sp.GetRequiredService<ILogger<TranscriptIndexer>>()));
            builder.Services.AddHostedService(static sp => sp.GetRequiredService<TranscriptIndexer>());
        }

        if (data.Proxy is { } proxy)
        {
            builder.Services.AddTallyProxy(proxy, data.Store, data.Catalog, data.Clock);
        }

        var app = builder.Build();
        var barrier = new ErrorBarrier(app.Services.GetRequiredService<ILogger<ErrorBarrier>>());
        var guard = new RequestGuard(options with { Proxy = data.Proxy is not null }, bind);
        app.Use(barrier.InvokeAsync);
        app.Use(guard.InvokeAsync);

        new CostsEndpoints(data, app.Services.GetService<TranscriptIndexer>()).Map(app);
        new StatsEndpoints(data).Map(app);
        app.MapGet("/api/agents", new AgentsEndpoint(data).WriteAsync);
        app.MapGet("/api/limits", new LimitsEndpoint(data).WriteAsync);
        app.MapGet("/api/budgets", new BudgetsEndpoint(data).WriteAsync);
        app.MapGet("/api/alerts", new AlertsEndpoint(data).WriteAsync);
        app.MapGet("/api/export", new ExportEndpoint(data).WriteAsync);
        new BilledEndpoints(data).Map(app);
        app.MapGet("/api/events", new EventsEndpoint(changes, options, app.Lifetime).StreamAsync);
        app.MapGet("/openapi.json", OpenApiDocument.ServeAsync);
        app.MapPost("/api/budgets/resume", new BudgetResumeEndpoint(data).ResumeAsync);
        if (data.Proxy is not null)
        {
            app.MapTallyProxy();
        }

        app.MapGet("/{**path}", new StaticAssets().ServeAsync);
        return new TallyServer(app);
    }

    /// <summary>Waits until the metering proxy has written everything it queued so far (tests, and a graceful stop).</summary>
    internal async Task DrainProxyAsync(CancellationToken cancellationToken)
    {
        await (_app.Services.GetService<MeterWriter>()?.DrainAsync(cancellationToken) ?? Task.CompletedTask);
        await (_app.Services.GetService<BudgetGate>()?.DrainAlertsAsync() ?? Task.CompletedTask);
    }

    /// <summary>The metering proxy's counters; null when the proxy is not served.</summary>
    public ProxyStats? ProxyStats => _app.Services.GetService<ProxyStats>();

    /// <summary>Starts listening (throws <see cref="IOException"/> when the port is taken).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _started = true;
        await _app.StartAsync(cancellationToken);
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled, then stops gracefully.</summary>
    public async Task RunUntilCancelledAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        await StopAsync();
    }

    /// <summary>Stops the server (once) if it was started: requests in flight finish and the background sync ends
    /// before anything it uses is disposed.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }

    private async Task StopAsync()
    {
        if (_started && !_stopped)
        {
            _stopped = true;
            await _app.StopAsync(CancellationToken.None);
        }
    }
}
