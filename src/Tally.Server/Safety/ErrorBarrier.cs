using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tally.Server.Http;

namespace Tally.Server.Safety;

/// <summary>
/// The last line of defence: an exception an endpoint did not expect (a bug) is logged and answered with a 500
/// problem that says nothing of its internals, instead of a dropped connection. Tests treat any 500 as a failure.
/// An error answered with no body (routing's own 404 and 405) gets a problem body too, so every error has one shape.
/// </summary>
internal sealed partial class ErrorBarrier(ILogger<ErrorBarrier> logger)
{
    /// <summary>Runs <paramref name="next"/> and answers what it throws.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context);
            var response = context.Response;
            if (response.StatusCode >= 400 && !response.HasStarted && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
            {
                await Problem.WriteAsync(context, response.StatusCode, response.StatusCode == StatusCodes.Status405MethodNotAllowed
                    ? $"{context.Request.Method} is not allowed on {context.Request.Path.Value}."
                    : $"Nothing is at {context.Request.Path.Value}: see /openapi.json for the endpoints.");
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody to answer.
        }
        catch (Exception ex)
        {
            Failed(logger, context.Request.Method, context.Request.Path.Value ?? string.Empty, ex);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await Problem.WriteAsync(context, StatusCodes.Status500InternalServerError, "Tally failed to answer this request; the error is in the server's log.");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void Failed(ILogger logger, string method, string path, Exception exception);
}
