using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tally.Ingest.Demo;

/// <summary>
/// Writes transcript lines the way Claude Code does (compact JSON, its key order, <c>&lt;</c> and <c>+</c> unescaped).
/// Each method returns the line without its newline; the span is valid until the next call.
/// </summary>
internal sealed class DemoLines : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _json;

    public DemoLines()
    {
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = false,
        });
    }

    public ReadOnlySpan<byte> User(DemoThread t, string uuid, string ts, string text, bool compactSummary = false)
    {
        Start(t, "user");
        _json.WriteStartObject("message");
        _json.WriteString("role", "user");
        _json.WriteString("content", text);
        _json.WriteEndObject();
        if (compactSummary)
        {
            _json.WriteBoolean("isCompactSummary", true);
        }

        return End(uuid, ts);
    }

    public ReadOnlySpan<byte> ToolResult(DemoThread t, string uuid, string ts, DemoBlock toolUse, string content)
    {
        Start(t, "user");
        _json.WriteStartObject("message");
        _json.WriteString("role", "user");
        _json.WriteStartArray("content");
        _json.WriteStartObject();
        _json.WriteString("tool_use_id", toolUse.Id);
        _json.WriteString("type", "tool_result");
        _json.WriteString("content", content);
        _json.WriteBoolean("is_error", false);
        _json.WriteEndObject();
        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.WriteStartObject("toolUseResult");
        if (toolUse.ToolName == "Bash")
        {
            _json.WriteString("stdout", content);
            _json.WriteString("stderr", "");
            _json.WriteBoolean("interrupted", false);
            _json.WriteBoolean("isImage", false);
        }
        else if (toolUse.ToolName == "Read")
        {
            _json.WriteString("type", "text");
            _json.WriteStartObject("file");
            _json.WriteString("filePath", toolUse.Input?[0].Value);
            _json.WriteString("content", content);
            _json.WriteNumber("numLines", content.Count(static c => c == '\n'));
            _json.WriteNumber("startLine", 1);
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteString("type", "text");
            _json.WriteNumber("durationMs", content.Length % 9000);
        }

        _json.WriteEndObject();
        return End(uuid, ts);
    }

    public ReadOnlySpan<byte> Assistant(DemoThread t, string uuid, string ts, DemoCall call, DemoBlock block, long output, bool last)
    {
        Start(t, "assistant");
        _json.WriteStartObject("message");
        _json.WriteString("model", call.Model);
        _json.WriteString("id", call.MessageId);
        WriteMessageBody(block, last ? (block.Kind == BlockKind.ToolUse ? "tool_use" : "end_turn") : null);
        WriteUsage(call, output);
        _json.WriteEndObject();
        _json.WriteString("requestId", call.RequestId);
        return End(uuid, ts);
    }

    /// <summary>An old-style line: usage and <c>costUSD</c>, but no <c>message.id</c> and no <c>requestId</c>.</summary>
    public ReadOnlySpan<byte> Legacy(DemoThread t, string uuid, string ts, DemoCall call, decimal costUsd)
    {
        Start(t, "assistant");
        _json.WriteStartObject("message");
        _json.WriteString("model", call.Model);
        WriteMessageBody(call.Blocks[^1], "end_turn");
        WriteUsage(call, call.Output);
        _json.WriteEndObject();
        _json.WriteNumber("costUSD", costUsd);
        return End(uuid, ts);
    }

    /// <summary>Claude Code's own error line when the plan's limit is hit (the reset time after the bar).</summary>
    public ReadOnlySpan<byte> Limit(DemoThread t, string uuid, string ts, string id, long resetEpoch)
    {
        Start(t, "assistant");
        _json.WriteStartObject("message");
        _json.WriteString("id", id);
        _json.WriteString("type", "message");
        _json.WriteString("role", "assistant");
        _json.WriteString("model", DemoModels.Synthetic);
        _json.WriteStartArray("content");
        _json.WriteStartObject();
        _json.WriteString("type", "text");
        _json.WriteString("text", $"Claude AI usage limit reached|{resetEpoch}");
        _json.WriteEndObject();
        _json.WriteEndArray();
        _json.WriteNull("stop_reason");
        _json.WriteNull("stop_sequence");
        _json.WriteStartObject("usage");
        _json.WriteNumber("input_tokens", 0);
        _json.WriteNumber("output_tokens", 0);
        _json.WriteNumber("cache_creation_input_tokens", 0);
        _json.WriteNumber("cache_read_input_tokens", 0);
        _json.WriteStartObject("server_tool_use");
        _json.WriteNumber("web_search_requests", 0);
        _json.WriteEndObject();
        _json.WriteNull("service_tier");
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.WriteBoolean("isApiErrorMessage", true);
        return End(uuid, ts);
    }

    public ReadOnlySpan<byte> Summary(string text, string leafUuid)
    {
        _buffer.ResetWrittenCount();
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("type", "summary");
        _json.WriteString("summary", text);
        _json.WriteString("leafUuid", leafUuid);
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenSpan;
    }

    /// <summary>A <c>system</c> line: <c>compact_boundary</c> (value = tokens before) or <c>turn_duration</c> (ms).</summary>
    public ReadOnlySpan<byte> System(DemoThread t, string uuid, string ts, string subtype, long value)
    {
        Start(t, "system");
        _json.WriteString("subtype", subtype);
        if (subtype == "compact_boundary")
        {
            _json.WriteString("content", "Conversation compacted");
            _json.WriteStartObject("compactMetadata");
            _json.WriteString("trigger", "auto");
            _json.WriteNumber("preTokens", value);
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteNumber("durationMs", value);
        }

        _json.WriteBoolean("isMeta", false);
        _json.WriteString("level", "info");
        return End(uuid, ts);
    }

    public ReadOnlySpan<byte> Snapshot(string messageId, string ts, string? trackedFile, string? backupName)
    {
        _buffer.ResetWrittenCount();
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("type", "file-history-snapshot");
        _json.WriteString("messageId", messageId);
        _json.WriteStartObject("snapshot");
        _json.WriteString("messageId", messageId);
        _json.WriteStartObject("trackedFileBackups");
        if (trackedFile is not null)
        {
            _json.WriteStartObject(trackedFile);
            _json.WriteString("backupFileName", backupName);
            _json.WriteNumber("version", 1);
            _json.WriteString("backupTime", ts);
            _json.WriteEndObject();
        }

        _json.WriteEndObject();
        _json.WriteString("timestamp", ts);
        _json.WriteEndObject();
        _json.WriteBoolean("isSnapshotUpdate", trackedFile is not null);
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenSpan;
    }

    public void Dispose() => _json.Dispose();

    private void Start(DemoThread t, string type)
    {
        _buffer.ResetWrittenCount();
        _json.Reset();
        _json.WriteStartObject();
        if (t.ParentUuid is null)
        {
            _json.WriteNull("parentUuid");
        }
        else
        {
            _json.WriteString("parentUuid", t.ParentUuid);
        }

        _json.WriteBoolean("isSidechain", t.IsSidechain);
        _json.WriteString("userType", "external");
        _json.WriteString("cwd", t.Cwd.Path);
        _json.WriteString("sessionId", t.SessionId);
        _json.WriteString("version", t.Version);
        _json.WriteString("gitBranch", t.Cwd.Branch);
        if (t.AgentId is not null)
        {
            _json.WriteString("agentId", t.AgentId);
        }

        _json.WriteString("type", type);
    }

    private ReadOnlySpan<byte> End(string uuid, string ts)
    {
        _json.WriteString("uuid", uuid);
        _json.WriteString("timestamp", ts);
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenSpan;
    }

    private void WriteMessageBody(DemoBlock block, string? stopReason)
    {
        _json.WriteString("type", "message");
        _json.WriteString("role", "assistant");
        _json.WriteStartArray("content");
        _json.WriteStartObject();
        switch (block.Kind)
        {
            case BlockKind.Thinking:
                _json.WriteString("type", "thinking");
                _json.WriteString("thinking", block.Text);
                _json.WriteString("signature", block.Id);
                break;
            case BlockKind.Text:
                _json.WriteString("type", "text");
                _json.WriteString("text", block.Text);
                break;
            default:
                _json.WriteString("type", "tool_use");
                _json.WriteString("id", block.Id);
                _json.WriteString("name", block.ToolName);
                _json.WriteStartObject("input");
                foreach (KeyValuePair<string, string> kv in block.Input ?? [])
                {
                    _json.WriteString(kv.Key, kv.Value);
                }

                _json.WriteEndObject();
                break;
        }

        _json.WriteEndObject();
        _json.WriteEndArray();
        if (stopReason is null)
        {
            _json.WriteNull("stop_reason");
        }
        else
        {
            _json.WriteString("stop_reason", stopReason);
        }

        _json.WriteNull("stop_sequence");
    }

    private void WriteUsage(DemoCall call, long output)
    {
        _json.WriteStartObject("usage");
        _json.WriteNumber("input_tokens", call.Input);
        _json.WriteNumber("cache_creation_input_tokens", call.CacheWrite);
        _json.WriteNumber("cache_read_input_tokens", call.CacheRead);
        if (call.Split != CacheSplit.Absent)
        {
            _json.WriteStartObject("cache_creation");
            _json.WriteNumber("ephemeral_5m_input_tokens", call.Split == CacheSplit.FiveMinute ? call.CacheWrite : 0);
            _json.WriteNumber("ephemeral_1h_input_tokens", call.Split == CacheSplit.OneHour ? call.CacheWrite : 0);
            _json.WriteEndObject();
        }

        _json.WriteNumber("output_tokens", output);
        if (call.WriteServerToolUse)
        {
            _json.WriteStartObject("server_tool_use");
            _json.WriteNumber("web_search_requests", call.WebSearches);
            _json.WriteNumber("web_fetch_requests", 0);
            _json.WriteEndObject();
        }

        _json.WriteString("service_tier", "standard");
        if (call.InferenceGeo is not null)
        {
            _json.WriteString("inference_geo", call.InferenceGeo);
        }

        _json.WriteEndObject();
    }
}
