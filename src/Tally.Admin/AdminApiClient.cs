using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Tally.Admin;

/// <summary>
/// GETs of the Admin API with the admin key, retried with exponential backoff and full jitter on 429, 5xx, timeouts and
/// lost connections (honouring <c>retry-after</c>), and every failure turned into an <see cref="AdminApiException"/>
/// whose message says what to do.
/// </summary>
public sealed class AdminApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly AdminApiSettings _settings;

    /// <summary>Creates a client for <paramref name="settings"/>.</summary>
    public AdminApiClient(AdminApiSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _http = new HttpClient { BaseAddress = settings.BaseUrl, Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("tally", "1.0"));
    }

    /// <summary>How many HTTP requests were sent (retries included).</summary>
    public int Requests { get; private set; }

    /// <summary>GETs <paramref name="pathAndQuery"/> and parses the answer as JSON.</summary>
    public async Task<JsonDocument> GetAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var what = "/" + pathAndQuery.Split('?')[0];
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan? retryAfter = null;
            string failure;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(_settings.Timeout);
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
                    request.Headers.TryAddWithoutValidation("x-api-key", _settings.Key);
                    Requests++;
                    using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
                    var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
                    var status = (int)response.StatusCode;
                    if (response.IsSuccessStatusCode)
                    {
                        return Parse(body, what);
                    }

                    var (type, message) = ReadError(body);
                    if (!Retryable(response.StatusCode))
                    {
                        throw Refused(status, type, message, what);
                    }

                    retryAfter = RetryAfter(response.Headers.RetryAfter, _settings.MaxDelay);
                    failure = $"HTTP {status}{(type is null ? string.Empty : " " + type)}{(message is null ? string.Empty : ": " + message)}";
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = $"no answer within {_settings.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
                }
                catch (HttpRequestException ex)
                {
                    failure = $"cannot connect to {_settings.BaseUrl.GetLeftPart(UriPartial.Authority)} ({ex.Message})";
                }
            }

            if (attempt >= _settings.MaxAttempts)
            {
                throw new AdminApiException($"{what}: {failure}; gave up after {attempt} attempts. Try again later.");
            }

            if (retryAfter > _settings.MaxDelay)
            {
                throw new AdminApiException($"{what}: {failure}; the API asks to wait {retryAfter.Value.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s, longer than Tally waits. Try again later.");
            }

            var backoff = retryAfter ?? Backoff(attempt);
            await _settings.Delay(backoff, cancellationToken);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(_settings.MaxDelay.TotalMilliseconds, _settings.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (0.5 * _settings.Jitter()))); // half fixed, half jitter
    }

    private static bool Retryable(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, TimeSpan max)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > max * 10 ? max * 10 : wait;
        }

        return null;
    }

    private static JsonDocument Parse(byte[] body, string what)
    {
        try
        {
            var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new AdminApiException($"{what}: the answer is not a JSON object; nothing was stored.");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new AdminApiException($"{what}: the answer is not valid JSON ({ex.Message}); nothing was stored.", ex);
        }
    }

    private static (string? Type, string? Message) ReadError(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return (Text(error, "type"), Text(error, "message"));
            }
        }
        catch (JsonException)
        {
        }

        return (null, null);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private AdminApiException Refused(int status, string? type, string? message, string what)
    {
        var said = message is null ? string.Empty : $" ({type ?? "error"}: {message})";
        var adminShaped = _settings.Key.StartsWith("sk-ant-admin", StringComparison.Ordinal);
        var text = status switch
        {
            401 => $"The Admin API refused the key{said}: it is mistyped, revoked or expired. "
                + (adminShaped ? "Create a new admin key in the Console (Settings → Admin keys)." : "It does not look like an admin key (those start with sk-ant-admin); a standard API key cannot read usage and cost reports."),
            403 => $"The key may not read {what}{said}. "
                + (adminShaped ? "Admin keys belong to an organization admin; check the key's organization and permissions in the Console." : "Usage and cost reports need an admin key (sk-ant-admin…), which only an organization admin can create; individual accounts have none."),
            404 => $"{what} was not found{said}. Is the base URL right ({_settings.BaseUrl})?",
            _ => $"{what}: HTTP {status}{said}.",
        };
        return new AdminApiException(text, status, type);
    }
}
