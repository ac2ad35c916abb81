using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Tally.Server.Http;

namespace Tally.Server.Live;

/// <summary>
/// <c>GET /api/events</c>: server-sent events. <c>hello</c> on connecting (with the current version), then <c>index</c>
/// each time the index changes (data: the new version and when it was seen), and a comment every few seconds when idle.
/// A client that reconnects with <c>Last-Event-ID</c> older than the current version gets an <c>index</c> event at once.
/// </summary>
internal sealed class EventsEndpoint(IndexChanges changes, ServerOptions options, IHostApplicationLifetime lifetime)
{
    /// <summary>Streams events until the client or the server goes away.</summary>
    public async Task StreamAsync(HttpContext context)
    {
        var query = new QueryReader(context, []);
        if (query.Failed)
        {
            await Problem.BadParametersAsync(context, query.Errors);
            return;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var token = stop.Token;
        var seen = changes.Version;
        try
        {
            await WriteAsync(response, $"retry: 2000\nevent: hello\nid: {Number(seen)}\ndata: {Data(seen)}\n\n", token);
            if (long.TryParse(context.Request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var last) && last < seen)
            {
                await WriteAsync(response, $"event: index\nid: {Number(seen)}\ndata: {Data(seen)}\n\n", token);
            }

            while (!token.IsCancellationRequested)
            {
                if (await changes.WaitAsync(seen, options.EventKeepAlive, token))
                {
                    seen = changes.Version;
                    await WriteAsync(response, $"event: index\nid: {Number(seen)}\ndata: {Data(seen)}\n\n", token);
                }
                else
                {
                    await WriteAsync(response, ": keep-alive\n\n", token);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client left or the server is stopping: the stream just ends.
        }
    }

    private string Data(long version) =>
        $"{{\"version\":{Number(version)},\"changedAt\":{(changes.ChangedAt is { } at ? "\"" + Api.ApiJson.Instant(at) + "\"" : "null")}}}";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
