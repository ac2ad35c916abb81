using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tally.Core.Export;
using Tally.Core.Reports;
using Tally.Core.Usage;

namespace Tally.Core.Tests.Reports;

public class ReportJsonTests
{
    [Fact]
    public void An_instant_is_written_as_its_utc_time_to_the_millisecond_truncated_as_the_format_string_gives_it()
    {
        var random = new Random(11);
        DateTimeOffset[] edges =
        [
            DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch,
            new(2026, 12, 31, 23, 59, 59, 999, TimeSpan.Zero),
            new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.FromHours(5.75)).AddTicks(9_999),
            new(999, 1, 2, 3, 4, 5, 6, TimeSpan.Zero),
        ];
        var instants = edges.Concat(Enumerable.Range(0, 5_000).Select(_ =>
            new DateTimeOffset(random.NextInt64(DateTimeOffset.UnixEpoch.Ticks, new DateTime(2100, 1, 1).Ticks), TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1)))));
        Span<byte> utf8 = stackalloc byte[ReportJson.InstantLength];
        foreach (var instant in instants)
        {
            ReportJson.FormatInstant(instant, utf8);
            Assert.Equal(instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), Encoding.UTF8.GetString(utf8));
        }
    }

    [Fact]
    public void A_row_is_written_with_its_fields_named_as_the_schema_documents()
    {
        var totals = new UsageTotals
        {
            Tokens = new TokenCounts(1, 2, 3, 4, 5),
            Requests = 6,
            WebSearchRequests = 7,
            CostUsd = 1.2500m,
            UnpricedRequests = 1,
            LongContextRequests = 8,
            ReportedCostRequests = 6,
            FirstActivity = new DateTimeOffset(2026, 11, 20, 9, 15, 0, 42, TimeSpan.FromHours(1)),
            LastActivity = new DateTimeOffset(2026, 11, 20, 10, 0, 0, 7, TimeSpan.Zero),
        };
        var line = new ReportLine { Key = "s-1", Totals = totals, Models = [new ModelLine("claude-x", totals)], ProjectPath = "/src/\"a\"" };
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            ReportJson.WriteLine(json, ReportKind.Session, line);
        }

        const string Figures = """
            "inputTokens":1,"outputTokens":2,"cacheCreationTokens":7,"cacheReadTokens":5,"totalTokens":15,"{0}":1.2500,"missingPricing":true,
            "cacheCreation5mTokens":3,"cacheCreation1hTokens":4,"webSearchRequests":7,"requests":6,"longContextRequests":8,"unpricedRequests":1,
            "costSource":"reported","firstActivity":"2026-11-20T08:15:00.042Z","lastActivity":"2026-11-20T10:00:00.007Z"
            """;
        var figures = Figures.ReplaceLineEndings(string.Empty);
        var expected = "{\"sessionId\":\"s-1\"," + figures.Replace("{0}", "totalCost", StringComparison.Ordinal) + ",\"projectPath\":\"/src/\\u0022a\\u0022\","
            + "\"modelsUsed\":[\"claude-x\"],\"modelBreakdowns\":[{\"modelName\":\"claude-x\"," + figures.Replace("{0}", "cost", StringComparison.Ordinal) + "}]}";
        Assert.Equal(expected, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
