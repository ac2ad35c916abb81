using System.Buffers;
using System.Text.Json;
using Tally.Core.Usage;

namespace Tally.Proxy;

/// <summary>
/// Reads a Messages API response's usage as its bytes pass by, without holding the stream: server-sent events line by
/// line (<c>message_start</c> gives the message id, model and the prompt's counts; each <c>message_delta</c> restates
/// the counts it carries, cumulatively; an <c>error</c> event after a 200 is noted), or a JSON body (kept up to a
/// bound and read at the end). Pings and content deltas are only noted (the first delta is the first token).
/// </summary>
internal sealed class UsageScanner
{
    /// <summary>The largest single SSE line or JSON body read (a bigger one is passed on but not metered).</summary>
    public const int MaxBuffered = 8 * 1024 * 1024;

    private readonly bool _events;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Func<long> _now;
    private string? _event;
    private bool _overflow;
    private long _inputTokens;
    private long _output;
    private long _cacheCreation;
    private long _cacheRead;
    private long? _split5m;
    private long? _split1h;

    /// <summary>Creates a scanner for a response whose body is server-sent events (<paramref name="events"/>) or JSON.</summary>
    /// <param name="events">True for <c>text/event-stream</c>.</param>
    /// <param name="now">A timestamp source (elapsed ticks) for the first token.</param>
    public UsageScanner(bool events, Func<long> now)
    {
        _events = events;
        _now = now;
    }

    public string? MessageId { get; private set; }

    public string? Model { get; private set; }

    public bool HasUsage { get; private set; }

    public long WebSearch { get; private set; }

    public long WebFetch { get; private set; }

    public string? ServiceTier { get; private set; }

    public string? Speed { get; private set; }

    public string? InferenceGeo { get; private set; }

    /// <summary>The <c>error.type</c> of an error event or error body.</summary>
    public string? ErrorType { get; private set; }

    /// <summary>The <c>error.details.error_code</c> of an error (e.g. <c>enforced_spend_limit_reached</c>).</summary>
    public string? ErrorCode { get; private set; }

    /// <summary>True once <c>message_stop</c> was seen.</summary>
    public bool Stopped { get; private set; }

    /// <summary>The timestamp of the first content delta (or of a JSON body's first byte).</summary>
    public long? FirstTokenAt { get; private set; }

    /// <summary>True when something could not be read (a line over the bound, malformed JSON).</summary>
    public bool Unreadable { get; private set; }

    /// <summary>The tokens as last stated, with the shared cache-write rule.</summary>
    public TokenCounts Tokens(out bool splitMissing) =>
        TokenCounts.FromUsage(_inputTokens, _output, _cacheCreation, _cacheRead, _split5m, _split1h, out splitMissing);

    /// <summary>Reads the next bytes of the body.</summary>
    public void Write(ReadOnlySpan<byte> chunk)
    {
        if (!_events)
        {
            FirstTokenAt ??= _now();
            Append(chunk);
            return;
        }

        while (chunk.Length > 0)
        {
            var newline = chunk.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Append(chunk);
                return;
            }

            Append(chunk[..newline]);
            chunk = chunk[(newline + 1)..];
            if (!_overflow)
            {
                var line = _buffer.WrittenSpan;
                if (line.Length > 0 && line[^1] == (byte)'\r')
                {
                    line = line[..^1];
                }

                Line(line);
            }

            _buffer.ResetWrittenCount();
            _overflow = false;
        }
    }

    /// <summary>The body ended: reads a JSON body.</summary>
    public void Complete()
    {
        if (_events || _buffer.WrittenCount == 0)
        {
            return;
        }

        if (_overflow)
        {
            Unreadable = true;
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(_buffer.WrittenMemory);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            var type = String(root, "type");
            if (type == "error")
            {
                ReadError(root);
            }
            else if (type == "message")
            {
                ReadMessage(root);
            }
        }
        catch (JsonException)
        {
            Unreadable = true;
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_overflow)
        {
            return;
        }

        if (_buffer.WrittenCount + bytes.Length > MaxBuffered)
        {
            _overflow = true;
            Unreadable = true;
            return;
        }

        _buffer.Write(bytes);
    }

    private void Line(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty)
        {
            _event = null; // end of an event
            return;
        }

        if (line.StartsWith("event:"u8))
        {
            _event = System.Text.Encoding.UTF8.GetString(line[6..]).Trim();
            if (_event == "content_block_delta")
            {
                FirstTokenAt ??= _now();
            }

            return;
        }

        if (!line.StartsWith("data:"u8) || _event is not ("message_start" or "message_delta" or "message_stop" or "error"))
        {
            return; // pings, content blocks, comments
        }

        if (_event == "message_stop")
        {
            Stopped = true;
            return;
        }

        try
        {
            var data = line[5..];
            var reader = new Utf8JsonReader(data);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            switch (_event)
            {
                case "message_start" when root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object:
                    ReadMessage(message);
                    break;
                case "message_delta" when root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object:
                    ReadUsage(usage);
                    break;
                case "error":
                    ReadError(root);
                    break;
            }
        }
        catch (JsonException)
        {
            Unreadable = true;
        }
    }

    private void ReadMessage(JsonElement message)
    {
        MessageId = String(message, "id") ?? MessageId;
        Model = String(message, "model") ?? Model;
        if (message.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            ReadUsage(usage);
        }
    }

    /// <summary>Overwrites the counts <paramref name="usage"/> carries and keeps those it omits (deltas are cumulative).</summary>
    private void ReadUsage(JsonElement usage)
    {
        HasUsage = true;
        _inputTokens = Count(usage, "input_tokens") ?? _inputTokens;
        _output = Count(usage, "output_tokens") ?? _output;
        _cacheCreation = Count(usage, "cache_creation_input_tokens") ?? _cacheCreation;
        _cacheRead = Count(usage, "cache_read_input_tokens") ?? _cacheRead;
        if (usage.TryGetProperty("cache_creation", out var split) && split.ValueKind == JsonValueKind.Object)
        {
            _split5m = Count(split, "ephemeral_5m_input_tokens") ?? _split5m;
            _split1h = Count(split, "ephemeral_1h_input_tokens") ?? _split1h;
        }

        if (usage.TryGetProperty("server_tool_use", out var tools) && tools.ValueKind == JsonValueKind.Object)
        {
            WebSearch = Count(tools, "web_search_requests") ?? WebSearch;
            WebFetch = Count(tools, "web_fetch_requests") ?? WebFetch;
        }

        ServiceTier = String(usage, "service_tier") ?? ServiceTier;
        Speed = String(usage, "speed") ?? Speed;
        InferenceGeo = String(usage, "inference_geo") ?? InferenceGeo;
    }

    private void ReadError(JsonElement root)
    {
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            ErrorType = String(error, "type") ?? "error";
            if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Object)
            {
                ErrorCode = String(details, "error_code");
            }
        }
        else
        {
            ErrorType = "error";
        }
    }

    private static long? Count(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) && count >= 0 ? count : null;

    private static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
