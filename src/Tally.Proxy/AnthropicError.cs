using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tally.Proxy;

/// <summary>Errors the proxy itself answers, in the Messages API's shape (<c>{"type":"error","error":{…}}</c>), so
/// Claude Code and the SDKs show their message.</summary>
internal static class AnthropicError
{
    /// <summary>Writes an error with <paramref name="type"/> (e.g. <c>rate_limit_error</c>) and <paramref name="message"/>.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string type, string message, Action<HttpResponse>? headers = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        headers?.Invoke(response);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "error");
            json.WriteStartObject("error");
            json.WriteString("type", type);
            json.WriteString("message", message);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }
}
