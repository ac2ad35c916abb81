using Microsoft.AspNetCore.Http;

namespace Tally.Server.Api;

/// <summary>
/// <c>GET /openapi.json</c>: the API's OpenAPI 3.1 document, maintained by hand beside the endpoints (Api/openapi.json,
/// embedded) and checked by the tests against the routes and the parameters each endpoint accepts.
/// </summary>
internal static class OpenApiDocument
{
    private static readonly Lazy<byte[]> Bytes = new(static () =>
    {
        using var stream = typeof(OpenApiDocument).Assembly.GetManifestResourceStream("Tally.Server.openapi.json")!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>The document's bytes.</summary>
    public static ReadOnlyMemory<byte> Document => Bytes.Value;

    /// <summary>Serves the document.</summary>
    public static async Task ServeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.ContentLength = Bytes.Value.Length;
        await context.Response.Body.WriteAsync(Bytes.Value, context.RequestAborted);
    }
}
