using System.Globalization;
using System.IO.Hashing;
using System.Text.Json;
using Tally.Core.Limits;

namespace Tally.Ingest.ClaudeCode;

/// <summary>The "limit reached" notices Claude Code writes into transcripts: found during the parse, kept as signals.</summary>
internal static class LimitNotice
{
    /// <summary>Keeps the current string value as a candidate limit notice when it is short and mentions a limit (the
    /// check is on the raw bytes, so the texts of ordinary replies are never decoded).</summary>
    public static void Capture(ref Utf8JsonReader reader, ref LineFields f)
    {
        if (f.LimitText is null && reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length <= 2 * LimitMessage.MaxLength
            && reader.ValueSpan.IndexOf("imit"u8) >= 0)
        {
            f.LimitText = reader.GetString();
        }
    }

    /// <summary>The limit notice a line carries, as a signal keyed by the line's identity (so a re-sync, or the line
    /// copied into a resumed session, records it once). Only lines Claude Code itself writes qualify: a
    /// <c>&lt;synthetic&gt;</c> or API-error assistant line, or a system line; a user quoting a notice does not.</summary>
    public static ObservedSignal? Signal(in LineFields f, ReadOnlySpan<byte> line, SourceContext context)
    {
        if (f.LimitText is not { } text || f.Timestamp is not { } at)
        {
            return null;
        }

        if (!f.IsSystem && !(f.IsAssistant && (f.IsApiError || f.Model == TranscriptLineParser.Synthetic)))
        {
            return null;
        }

        if (LimitMessage.TryParse(text, at, context.Zone) is not { } hit)
        {
            return null;
        }

        var identity = !string.IsNullOrEmpty(f.Uuid) ? f.Uuid
            : !string.IsNullOrEmpty(f.MessageId) ? f.MessageId
            : XxHash3.HashToUInt64(line).ToString("x16", CultureInfo.InvariantCulture);
        return new ObservedSignal
        {
            Key = "limit:" + identity,
            Kind = SignalKind.LimitLine,
            Window = hit.Window,
            Model = hit.Model,
            Utilisation = 100m,
            ResetsAt = hit.ResetsAt,
            ObservedAt = at,
            Source = context.File,
        };
    }
}
