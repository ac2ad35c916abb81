using System.Text;
using System.Text.Json;

namespace Tally.Ingest.ClaudeCode;

/// <summary>The parser's field readers: one forward pass over a line's JSON that keeps the fields that matter in a
/// <see cref="LineFields"/> (see TranscriptLineParser.cs for what a line gives).</summary>
internal static partial class TranscriptLineParser
{
    private static void ReadTopLevel(ref Utf8JsonReader reader, ref LineFields f, FileStrings strings)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadMessage(ref reader, ref f, strings);
                }
                else
                {
                    f.MessageShape = reader.TokenType == JsonTokenType.Null ? null : Describe(reader.TokenType);
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                f.IsAssistant = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("assistant"u8);
                f.IsSystem = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("system"u8);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("isApiErrorMessage"u8))
            {
                reader.Read();
                f.IsApiError = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                LimitNotice.Capture(ref reader, ref f);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                ReadTimestamp(ref reader, ref f);
            }
            else if (reader.ValueTextEquals("uuid"u8))
            {
                f.Uuid = ReadString(ref reader, "uuid", ref f);
            }
            else if (reader.ValueTextEquals("sessionId"u8))
            {
                f.SessionId = ReadString(ref reader, "sessionId", ref f, strings.SessionId);
            }
            else if (reader.ValueTextEquals("cwd"u8))
            {
                f.Cwd = ReadString(ref reader, "cwd", ref f, strings.Cwd);
            }
            else if (reader.ValueTextEquals("gitBranch"u8))
            {
                f.GitBranch = ReadString(ref reader, "gitBranch", ref f, strings.GitBranch);
            }
            else if (reader.ValueTextEquals("agentId"u8))
            {
                f.AgentId = ReadString(ref reader, "agentId", ref f, strings.AgentId);
            }
            else if (reader.ValueTextEquals("version"u8))
            {
                f.Version = ReadString(ref reader, "version", ref f, strings.Version);
            }
            else if (reader.ValueTextEquals("requestId"u8))
            {
                f.RequestId = ReadString(ref reader, "requestId", ref f, strings.RequestId);
            }
            else if (reader.ValueTextEquals("isSidechain"u8))
            {
                reader.Read();
                f.IsSidechain = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("costUSD"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var cost))
                {
                    f.CostUsd = cost;
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    f.TypeError ??= $"costUSD should be a number but is {Describe(reader.TokenType)}";
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadMessage(ref Utf8JsonReader reader, ref LineFields f, FileStrings strings)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    f.HasUsage = true;
                    UsageReader.Read(ref reader, ref f, strings);
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    f.HasUsage = true;
                    f.TypeError ??= $"message.usage should be an object but is {Describe(reader.TokenType)}";
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                f.MessageId = ReadString(ref reader, "message.id", ref f, strings.MessageId);
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                f.Model = ReadString(ref reader, "message.model", ref f, strings.Model);
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    ReadContent(ref reader, ref f, strings);
                }
                else
                {
                    LimitNotice.Capture(ref reader, ref f);
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadContent(ref Utf8JsonReader reader, ref LineFields f, FileStrings strings)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            var isToolUse = false;
            string? name = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    isToolUse = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("tool_use"u8);
                }
                else if (reader.ValueTextEquals("text"u8))
                {
                    reader.Read();
                    LimitNotice.Capture(ref reader, ref f);
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("name"u8))
                {
                    reader.Read();
                    name = reader.TokenType == JsonTokenType.String ? strings.ToolNames.Read(ref reader) : null;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (isToolUse && !string.IsNullOrEmpty(name))
            {
                f.Tools ??= strings.LineTools();
                if (!f.Tools.Contains(name))
                {
                    f.Tools.Add(name);
                }
            }
        }
    }

    /// <summary>Reads a timestamp straight from the line's bytes; its text is kept only when it does not parse. A
    /// timestamp that is not a string keeps its JSON type as its text and leaves an earlier parsed value in place.</summary>
    private static void ReadTimestamp(ref Utf8JsonReader reader, ref LineFields f)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            f.HasTimestamp = reader.TokenType != JsonTokenType.Null;
            f.TimestampText = f.HasTimestamp ? Describe(reader.TokenType) : null;
            reader.Skip();
            return;
        }

        f.HasTimestamp = true;
        if (reader.ValueIsEscaped)
        {
            var unescaped = Encoding.UTF8.GetBytes(reader.GetString()!);
            f.Timestamp = Iso8601.TryParse(unescaped, out var parsed) ? parsed : null;
            f.TimestampText = f.Timestamp is null ? Encoding.UTF8.GetString(unescaped) : null;
            return;
        }

        f.Timestamp = Iso8601.TryParse(reader.ValueSpan, out var value) ? value : null;
        f.TimestampText = f.Timestamp is null ? Encoding.UTF8.GetString(reader.ValueSpan) : null;
    }

    /// <summary>A string field's value (null when it is null, or not a string: a type error); a field that repeats from
    /// line to line names its <paramref name="recent"/> value, which the value reuses when its bytes are the same.</summary>
    internal static string? ReadString(ref Utf8JsonReader reader, string name, ref LineFields f, RecentStrings? recent = null)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return recent is null ? reader.GetString() : recent.Read(ref reader);
            case JsonTokenType.Null:
                return null;
            default:
                f.TypeError ??= $"{name} should be a string but is {Describe(reader.TokenType)}";
                reader.Skip();
                return null;
        }
    }

    internal static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };
}
