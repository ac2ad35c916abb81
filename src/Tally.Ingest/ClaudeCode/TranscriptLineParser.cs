using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Tally.Core.Pricing;
using Tally.Core.Usage;

namespace Tally.Ingest.ClaudeCode;

/// <summary>
/// Turns one Claude Code transcript line into a usage record, in one forward pass over the bytes.
/// Only lines whose <c>message</c> carries <c>usage</c> become records; every other line is only checked
/// to be JSON. Wrong types and missing fields are reported for the lines that matter, and so is an assistant
/// line whose <c>message</c> is not an object (its usage could not be read). A "limit reached" notice (a
/// <c>&lt;synthetic&gt;</c> or API-error assistant line, or a system line, whose text is one) becomes a signal.
/// </summary>
internal static partial class TranscriptLineParser
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
            Price = completion?.Price(new PricingRequest
            {
                Model = f.Model,
                Timestamp = timestamp,
                Tokens = tokens,
                WebSearchRequests = webSearch,
                ServiceTier = f.ServiceTier,
                Speed = f.Speed,
                InferenceGeo = f.InferenceGeo,
            }),
        };
        return new LineOutcome(record, null);
    }

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
