using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tally.Server.Http;

/// <summary>Response bodies written with <see cref="Utf8JsonWriter"/> (no reflection, so Native AOT needs nothing more).</summary>
internal static class JsonBody
{
    /// <summary>The API's media type.</summary>
    public const string MediaType = "application/json; charset=utf-8";

    // Characters are written as they are (as the CLI's JSON): every body is served as JSON with nosniff, and pages have
    // a Content-Security-Policy, so a project path or model id holding markup stays text.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the document <paramref name="write"/> builds as the response body (status as already set).</summary>
    public static async Task WriteAsync(HttpContext context, string mediaType, Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            write(json);
        }

        context.Response.ContentType = mediaType;
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    /// <summary>Writes a 200 <c>application/json</c> document.</summary>
    public static Task OkAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status200OK;
        return WriteAsync(context, MediaType, write);
    }
}
