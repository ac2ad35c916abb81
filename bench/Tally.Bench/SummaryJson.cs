using System.Text.Encodings.Web;
using System.Text.Json;

using Tally.Core.Usage;
using Tally.Ingest.Demo;

namespace Tally.Bench;

/// <summary>
/// The corpus summary as JSON. Per-day fields use ccusage's names (<c>cacheCreationTokens</c> = 5m + 1h writes) so
/// a script can compare the ground truth with both tools' <c>daily --json</c>.
/// </summary>
internal static class SummaryJson
{
    public static void Write(TextWriter output, CorpusSummary s, TimeSpan elapsed)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("root", s.RootDirectory);
            json.WriteNumber("seed", s.Options.Seed);
            json.WriteString("endDay", s.Options.EndDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteNumber("days", s.Options.Days);
            json.WriteNumber("projects", s.Options.Projects);
            json.WriteNumber("targetBytes", s.Options.TargetBytes);
            json.WriteStartObject("switches");
            json.WriteBoolean("longContext", s.Options.IncludeLongContext);
            json.WriteBoolean("webSearch", s.Options.IncludeWebSearch);
            json.WriteBoolean("idlessDuplicates", s.Options.IncludeIdlessDuplicates);
            json.WriteBoolean("unknownModel", s.Options.IncludeUnknownModel);
            json.WriteBoolean("zeroCacheSplit", s.Options.IncludeZeroCacheSplit);
            json.WriteBoolean("oddTimestampFractions", s.Options.IncludeOddTimestampFractions);
            json.WriteBoolean("midnightStraddles", s.Options.IncludeMidnightStraddles);
            json.WriteBoolean("malformedLines", s.Options.IncludeMalformedLines);
            json.WriteEndObject();
            json.WriteNumber("files", s.Files);
            json.WriteNumber("lines", s.Lines);
            json.WriteNumber("bytes", s.Bytes);
            json.WriteNumber("sessions", s.Sessions);
            json.WriteNumber("resumedSessions", s.ResumedSessions);
            json.WriteNumber("subagentFiles", s.SubagentFiles);
            json.WriteNumber("usageLines", s.UsageLines);
            json.WriteNumber("userPrompts", s.UserPrompts);
            json.WriteNumber("limitLines", s.LimitLines);
            json.WriteNumber("malformedLines", s.MalformedLines);
            json.WriteNumber("requests", s.Requests);
            json.WriteNumber("longContextRequests", s.LongContextRequests);
            json.WriteNumber("webSearchRequests", s.WebSearchRequests);
            json.WriteNumber("elapsedSeconds", Math.Round(elapsed.TotalSeconds, 2));
            json.WriteStartObject("totals");
            WriteTokens(json, s.TotalTokens);
            json.WriteEndObject();
            json.WriteStartArray("daily");
            foreach (IGrouping<DateOnly, ExpectedDailyUsage> day in s.Expected.GroupBy(static e => e.Day))
            {
                json.WriteStartObject();
                json.WriteString("date", day.Key.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                WriteTokens(json, day.Aggregate(default(TokenCounts), static (sum, e) => sum + e.Tokens));
                json.WriteStartArray("models");
                foreach (ExpectedDailyUsage e in day)
                {
                    json.WriteStartObject();
                    json.WriteString("model", e.Model);
                    json.WriteNumber("requests", e.Requests);
                    WriteTokens(json, e.Tokens);
                    json.WriteNumber("webSearchRequests", e.WebSearchRequests);
                    json.WriteNumber("longContextRequests", e.LongContextRequests);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteTokens(Utf8JsonWriter json, TokenCounts t)
    {
        json.WriteNumber("inputTokens", t.Input);
        json.WriteNumber("outputTokens", t.Output);
        json.WriteNumber("cacheCreationTokens", t.CacheWrite);
        json.WriteNumber("cacheCreation5mTokens", t.CacheWrite5m);
        json.WriteNumber("cacheCreation1hTokens", t.CacheWrite1h);
        json.WriteNumber("cacheReadTokens", t.CacheRead);
        json.WriteNumber("totalTokens", t.Total);
    }
}
