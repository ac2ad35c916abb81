using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Tally.Core.Usage;

namespace Tally.Ingest.ClaudeCode;

/// <summary>
/// Turns one Claude Code transcript line into a usage record, in one forward pass over the bytes.
/// Only lines whose <c>message</c> carries <c>usage</c> become records; every other line is only checked
/// to be JSON. Wrong types and missing fields are reported for the lines that matter, and so is an assistant
/// line whose <c>message</c> is not an object (its usage could not be read). A "limit reached" notice (a
/// <c>&lt;synthetic&gt;</c> or API-error assistant line, or a system line, whose text is one) becomes a signal.
/// </summary>
internal static class TranscriptLineParser
{
    internal const string Synthetic = "<synthetic>";


    /// <summary>What one line gives.</summary>
    /// <param name="line">The line's bytes, without its line break.</param>
    /// <param name="context">The file the line is in.</param>
    /// <param name="lineNumber">The line's 1-based number in the file (0 when it has none).</param>
    public static LineOutcome Parse(ReadOnlySpan<byte> line, SourceContext context, long lineNumber = 0)
    {
        if (line.Trim(" \t\r"u8).IsEmpty)
        {
            return LineOutcome.Skip;
        }

        string? encodingProblem = null;
        if (!Utf8.IsValid(line))
        {
            encodingProblem = $"invalid UTF-8 at byte {FirstInvalidUtf8(line)}";
        }

        if (!LineShape.MayCarryUsage(line) && !LineShape.MayCarryLimit(line))
        {
            return encodingProblem is null ? LineShape.Check(line) : LineOutcome.Fail(encodingProblem);
        }

        var fields = new LineFields();
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 512 });
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return LineOutcome.Fail($"not a JSON object (starts with {reader.TokenType})");
            }

            ReadTopLevel(ref reader, ref fields, context.Strings);
            if (reader.Read())
            {
                return LineOutcome.Fail("unexpected content after the JSON object");
            }
        }
        catch (JsonException ex)
        {
            return LineOutcome.Fail(encodingProblem ?? $"invalid JSON: {Shorten(ex.Message)}");
        }
        catch (InvalidOperationException)
        {
            return LineOutcome.Fail(encodingProblem ?? "invalid text in a JSON string");
        }

        var signal = LimitNotice.Signal(in fields, line, context);
        if (!fields.HasUsage)
        {
            if (encodingProblem is null && fields.IsAssistant && fields.MessageShape is { } shape)
            {
                return LineOutcome.Fail($"message should be an object but is {shape}: not counted") with { Signal = signal };
            }

            return (encodingProblem is null ? LineOutcome.Skip : LineOutcome.Fail(encodingProblem)) with { Signal = signal };
        }

        var outcome = Build(in fields, line, context, lineNumber) with { Signal = signal };
        if (encodingProblem is not null)
        {
            return outcome with { Problem = outcome.Record is null ? encodingProblem : $"{encodingProblem} (usage counted)" };
        }

        return outcome;
    }

    private static LineOutcome Build(in LineFields f, ReadOnlySpan<byte> line, SourceContext context, long lineNumber)
    {
        if (f.TypeError is not null)
        {
            return LineOutcome.Fail(f.TypeError);
        }

        var tokens = f.Tokens(out var cacheSplitMissing);
        if (string.IsNullOrWhiteSpace(f.Model) || f.Model == Synthetic)
        {
            return f.Model is null && tokens.Total > 0
                ? LineOutcome.Fail("usage without message.model: not counted")
                : LineOutcome.Skip;
        }

        if (!f.HasTimestamp)
        {
            return LineOutcome.Fail("usage line without a timestamp: not counted");
        }

        if (f.Timestamp is not { } timestamp)
        {
            return LineOutcome.Fail($"timestamp '{Shorten(f.TimestampText!)}' is not an ISO-8601 date and time: not counted");
        }

        var hash = XxHash3.HashToUInt64(line);
        var key = !string.IsNullOrEmpty(f.MessageId) ? context.Strings.MessageKey(f.MessageId)
            : !string.IsNullOrEmpty(f.Uuid) ? "u:" + f.Uuid
            : "h:" + hash.ToString("x16", CultureInfo.InvariantCulture);

        var sessionId = f.SessionId ?? context.SessionId;
        var agentId = f.AgentId ?? context.AgentId;
        var webSearch = (int)Math.Min(f.WebSearch, int.MaxValue);
        var completion = context.Completion;
        var project = completion?.Project(f.Cwd);
        var record = new UsageRecord
        {
            Key = key,
            MessageId = f.MessageId,
            RequestId = f.RequestId,
            Uuid = f.Uuid,
            Timestamp = timestamp,
            SessionId = sessionId,
            AgentId = agentId,
            IsSidechain = f.IsSidechain,
            Cwd = f.Cwd,
            GitBranch = f.GitBranch,
            Model = f.Model,
            Tokens = tokens,
            CacheSplitMissing = cacheSplitMissing,
            WebSearchRequests = webSearch,
            WebFetchRequests = (int)Math.Min(f.WebFetch, int.MaxValue),
            ServiceTier = f.ServiceTier,
            Speed = f.Speed,
            InferenceGeo = f.InferenceGeo,
            ReportedCostUsd = f.CostUsd,
            Tools = f.Tools is null ? [] : f.Tools.ToArray(),
            ClientVersion = f.Version,
            ContentHash = completion is null ? hash : completion.TieBreak(sessionId, agentId, project, hash),
            SourceFile = context.File,
            SourceLine = lineNumber,
            Project = project,
            Price = completion?.Price(f.Model, timestamp, tokens, webSearch, f.ServiceTier, f.Speed, f.InferenceGeo),
        };
        return new LineOutcome(record, null);
    }

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

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + "…";

    internal static int FirstInvalidUtf8(ReadOnlySpan<byte> line)
    {
        var index = 0;
        while (index < line.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(line[index..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return index;
            }

            index += consumed;
        }

        return index;
    }
}
