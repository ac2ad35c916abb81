using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tally.Proxy;
using Tally.Server.Safety;

namespace Tally.Server;

/// <summary>
/// <c>tally proxy</c>'s web host: the metering proxy alone (no API, no dashboard, no sync), with the same binding, Host
/// check and token rules as <c>tally serve</c>'s proxy paths.
/// </summary>
public sealed class ProxyServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProxyServer(WebApplication app) => _app = app;

    /// <summary>The addresses Kestrel listens on (known once started).</summary>
    public IReadOnlyList<Uri> Addresses =>
        [.. (_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []).Select(static a => new Uri(a))];

    /// <summary>The proxy's counters.</summary>
    public ProxyStats Stats => _app.Services.GetRequiredService<ProxyStats>();

    /// <summary>Builds the host. <paramref name="options"/> must pass <see cref="ServerOptions.Check"/>; <paramref name="data"/>
    /// must have <see cref="ServerData.Proxy"/>.</summary>
    public static ProxyServer Create(ServerOptions options, ServerData data, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        var proxy = data.Proxy ?? throw new ArgumentException("ServerData.Proxy is required.", nameof(data));
        if (options.Check() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(' ', errors), nameof(options));
        }

        var bind = BindAddress.Parse(options.Host)!;
        var builder = ServerHost.CreateBuilder("Tally.Proxy");
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(bind.Address, options.Port);
        });
        builder.Services.AddTallyProxy(proxy, data.Store, data.Catalog, data.Clock);
        var app = builder.Build();
        var guard = new RequestGuard(options with { Proxy = true }, bind);
        app.Use(guard.InvokeAsync);
        app.MapTallyProxy();
        return new ProxyServer(app);
    }

    /// <summary>Starts listening (throws <see cref="IOException"/> when the port is taken).</summary>
    public Task StartAsync(CancellationToken cancellationToken) => _app.StartAsync(cancellationToken);

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled, then stops gracefully (queued calls are written).</summary>
    public async Task RunUntilCancelledAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.StopAsync(CancellationToken.None);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
