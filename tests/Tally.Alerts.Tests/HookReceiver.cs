using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tally.Alerts.Tests;

/// <summary>
/// A webhook receiver on real Kestrel at 127.0.0.1 (a free port): it keeps every request and answers each with the
/// next scripted status (then 200), or never answers when told to hang.
/// </summary>
public sealed class HookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _statuses;

    private HookReceiver(WebApplication app, ConcurrentQueue<int> statuses, Uri baseUrl)
    {
        _app = app;
        _statuses = statuses;
        BaseUrl = baseUrl;
    }

    /// <summary>The receiver's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>A URL on this receiver that looks like a chat webhook with a secret in its path and query.</summary>
    public Uri SecretUrl => new(BaseUrl, "/services/T000/B000/SECRETPART?token=hunter2");

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>When set, requests are held until the client gives up.</summary>
    public bool Hang { get; set; }

    /// <summary>A Retry-After (seconds) sent with each non-2xx answer, when set.</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>Starts a receiver that answers with <paramref name="statuses"/>, in order, then 200.</summary>
    public static async Task<HookReceiver> StartAsync(params int[] statuses)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var queue = new ConcurrentQueue<int>(statuses);
        HookReceiver? receiver = null;
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            receiver!.Requests.Enqueue(new Received(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.ContentType,
                context.Request.Headers.UserAgent.ToString(),
                body.ToArray()));
            if (receiver.Hang)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(static _ => { }, TaskScheduler.Default);
                return;
            }

            var status = queue.TryDequeue(out var next) ? next : 200;
            context.Response.StatusCode = status;
            if (status >= 300 && receiver.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver = new HookReceiver(app, queue, new Uri(address.TrimEnd('/') + "/"));
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>One request as received.</summary>
    public sealed record Received(string Method, string PathAndQuery, string? ContentType, string UserAgent, byte[] Body);
}
