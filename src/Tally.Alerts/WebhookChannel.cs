using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tally.Core.Alerts;

namespace Tally.Alerts;

/// <summary>
/// POSTs each alert as JSON to a configured URL. A 2xx answer is success; a network error, a timeout, a 408, a 429 or
/// a 5xx is retried with exponential backoff and jitter (<see cref="Backoff"/>), within the attempt and time bounds of
/// <see cref="WebhookOptions"/>; any other answer is final. The outcome is a value (sent or failed, with attempts and
/// the last reason), never an exception, and never names the URL beyond its host.
/// </summary>
public sealed class WebhookChannel : IAlertChannel
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly HttpClient _http;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _clock;
    private readonly Func<double> _random;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly string _host;

    /// <summary>Creates the channel.</summary>
    /// <param name="http">The client to send with (redirects should be off: a redirected POST is not a delivery).</param>
    /// <param name="options">The URL and the bounds.</param>
    /// <param name="clock">The clock the time bound is measured on.</param>
    /// <param name="random">Jitter in [0, 1) (default: <see cref="Random.Shared"/>).</param>
    /// <param name="delay">How to wait between attempts (default: <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/> on <paramref name="clock"/>).</param>
    /// <param name="host">The machine's name, sent in the payload (default: <see cref="Environment.MachineName"/>).</param>
    public WebhookChannel(HttpClient http, WebhookOptions options, TimeProvider clock, Func<double>? random = null, Func<TimeSpan, CancellationToken, Task>? delay = null, string? host = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        _http = http;
        _options = options;
        _clock = clock;
        _random = random ?? Random.Shared.NextDouble;
        _delay = delay ?? ((wait, token) => Task.Delay(wait, clock, token));
        _host = host ?? Environment.MachineName;
    }

    /// <inheritdoc />
    public string Name => "webhook";

    /// <summary>The payload for <paramref name="alert"/>: the alert's fields plus <c>text</c> (the message, so chat
    /// webhooks that read <c>text</c> show it), <c>schemaVersion</c> and <c>host</c>.</summary>
    public static byte[] Payload(Alert alert, string host)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("text", "Tally: " + alert.Message);
            json.WriteNumber("schemaVersion", AlertJson.SchemaVersion);
            json.WriteString("host", host);
            AlertJson.WriteFields(json, alert);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <inheritdoc />
    public async Task<AlertDelivery> DeliverAsync(Alert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var body = Payload(alert, _host);
        var started = _clock.GetUtcNow();
        var attempts = 0;
        string reason;
        while (true)
        {
            attempts++;
            var (done, retryAfter, why) = await AttemptAsync(body, cancellationToken);
            if (done)
            {
                return Outcome(why is null ? DeliveryOutcome.Sent : DeliveryOutcome.Failed, attempts, why);
            }

            reason = why!;
            if (attempts >= _options.MaxAttempts)
            {
                reason = $"gave up after {attempts} attempts: {reason}";
                break;
            }

            var wait = Backoff.Delay(attempts, _options.BaseDelay, _options.MaxDelay, _random());
            if (retryAfter is { } asked && asked > wait)
            {
                wait = asked < _options.MaxDelay ? asked : _options.MaxDelay;
            }

            if (_clock.GetUtcNow() - started + wait >= _options.MaxTime)
            {
                reason = $"gave up after {attempts} attempts ({_options.MaxTime.TotalSeconds:0.#} s bound): {reason}";
                break;
            }

            await _delay(wait, cancellationToken);
        }

        return Outcome(DeliveryOutcome.Failed, attempts, reason);
    }

    private async Task<(bool Done, TimeSpan? RetryAfter, string? Reason)> AttemptAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.AttemptTimeout, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Tally", "1"));
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return (true, null, null);
            }

            var what = $"{HostOf(_options.Url)} answered HTTP {code}";
            return code is 408 or 429 or >= 500
                ? (false, RetryAfter(response.Headers.RetryAfter), what)
                : (true, null, what + " (not retried)");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, null, $"{HostOf(_options.Url)} did not answer within {_options.AttemptTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            // The exception's message can hold the URL: say only what kind of failure it was, and where.
            return (false, null, $"{HostOf(_options.Url)} could not be reached ({ex.HttpRequestError})");
        }
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _clock.GetUtcNow(),
        _ => null,
    };

    private AlertDelivery Outcome(DeliveryOutcome outcome, int attempts, string? reason) => new(Name, outcome, attempts, reason, _clock.GetUtcNow());

    private static string HostOf(Uri url) => url.IsDefaultPort ? url.Host : $"{url.Host}:{url.Port}";
}
