using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Tally.Server.Http;

/// <summary>
/// RFC 9457 problem details (<c>application/problem+json</c>): the one shape every error of the API has. Bad parameters
/// carry <c>errors</c>, an object from each parameter's name to what is wrong with it.
/// </summary>
internal static class Problem
{
    /// <summary>The media type of a problem document.</summary>
    public const string MediaType = "application/problem+json";

    /// <summary>Writes a problem with <paramref name="status"/> and <paramref name="detail"/>.</summary>
    public static Task WriteAsync(HttpContext context, int status, string detail, IReadOnlyDictionary<string, List<string>>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.StatusCode = status;
        response.Headers.CacheControl = "no-store";
        return JsonBody.WriteAsync(context, MediaType, json =>
        {
            json.WriteStartObject();
            json.WriteString("type", "about:blank");
            json.WriteString("title", ReasonPhrases.GetReasonPhrase(status));
            json.WriteNumber("status", status);
            json.WriteString("detail", detail);
            json.WriteString("instance", context.Request.Path.Value);
            if (errors is { Count: > 0 })
            {
                json.WriteStartObject("errors");
                foreach (var (name, messages) in errors.OrderBy(static e => e.Key, StringComparer.Ordinal))
                {
                    json.WriteStartArray(name);
                    foreach (var message in messages)
                    {
                        json.WriteStringValue(message);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        });
    }

    /// <summary>A 400 naming every bad parameter.</summary>
    public static Task BadParametersAsync(HttpContext context, IReadOnlyDictionary<string, List<string>> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var names = string.Join(", ", errors.Keys.Order(StringComparer.Ordinal).Select(Quoted));
        return WriteAsync(context, StatusCodes.Status400BadRequest, $"Bad query parameter{(errors.Count == 1 ? string.Empty : "s")}: {names}. See errors, and docs/api.md.", errors);
    }

    private static string Quoted(string name) => name.Length > 60 ? $"\"{name[..60]}…\"" : $"\"{name}\"";
}
