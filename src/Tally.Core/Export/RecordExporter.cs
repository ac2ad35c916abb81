using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tally.Core.Pricing;
using Tally.Core.Storage;
using Tally.Core.Usage;

namespace Tally.Core.Export;

/// <summary>
/// Writes usage records, one per billed call, as CSV, a JSON array or JSON Lines while they are read: each record is
/// written and dropped before the next is read, through a 64 KiB buffer, so memory stays flat however many there are.
/// Every field is one the index holds; none is a secret (the index holds none). The schema is in docs/json-schemas.md.
/// </summary>
/// <param name="format">The output format.</param>
/// <param name="mode">Which cost <c>costUSD</c> holds (as in reports).</param>
/// <param name="catalog">The catalog that names the catalog model of each model id.</param>
public sealed class RecordExporter(ExportFormat format, CostMode mode, PriceCatalog catalog)
{
    /// <summary>The columns of the CSV, in order (the JSON objects' fields carry the same names, in the same order).</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "timestamp", "sessionId", "agentId", "isSidechain", "project", "cwd", "gitBranch", "model", "catalogModel",
        "inputTokens", "outputTokens", "cacheCreationTokens", "cacheCreation5mTokens", "cacheCreation1hTokens", "cacheReadTokens",
        "totalTokens", "cacheSplitMissing", "webSearchRequests", "webFetchRequests", "serviceTier", "speed", "inferenceGeo",
        "costUSD", "costSource", "calculatedCostUSD", "reportedCostUSD", "priceStatus", "longContext", "catalogVersion",
        "tools", "clientVersion", "messageId", "requestId", "uuid", "key", "sourceFile", "sourceLine",
    ];

    private const int BufferSize = 64 * 1024;

    /// <summary>Records between two asynchronous flushes: the writers below write synchronously into their buffers, so a
    /// destination that refuses synchronous I/O (an HTTP response) receives everything through these flushes.</summary>
    private const int FlushEvery = 64;

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Dictionary<string, string?> _catalogModels = new(StringComparer.Ordinal);

    /// <summary>Writes every record to <paramref name="output"/>; returns how many were written.</summary>
    public async Task<long> WriteAsync(IAsyncEnumerable<UsageRecord> records, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(output);
        return format == ExportFormat.Csv
            ? await WriteCsvAsync(records, output, cancellationToken)
            : await WriteJsonAsync(records, output, cancellationToken);
    }

    private async Task<long> WriteCsvAsync(IAsyncEnumerable<UsageRecord> records, Stream output, CancellationToken cancellationToken)
    {
        await using var csv = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferSize, leaveOpen: true);
        CsvText.Record(csv, Columns);
        long count = 0;
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            WriteCsv(csv, record);
            if (++count % FlushEvery == 0)
            {
                await csv.FlushAsync(cancellationToken);
            }
        }

        await csv.FlushAsync(cancellationToken);
        return count;
    }

    private async Task<long> WriteJsonAsync(IAsyncEnumerable<UsageRecord> records, Stream output, CancellationToken cancellationToken)
    {
        var array = format == ExportFormat.Json;
        await using var buffered = new BufferedStream(output, BufferSize);
        await using var json = new Utf8JsonWriter(buffered, JsonOptions);
        if (array)
        {
            buffered.Write("["u8);
        }

        long count = 0;
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            if (array)
            {
                buffered.Write(count == 0 ? "\n"u8 : ",\n"u8);
            }

            WriteJson(json, record);
            json.Flush();
            json.Reset();
            if (!array)
            {
                buffered.Write("\n"u8);
            }

            if (++count % FlushEvery == 0)
            {
                await buffered.FlushAsync(cancellationToken);
            }
        }

        if (array)
        {
            buffered.Write(count == 0 ? "]\n"u8 : "\n]\n"u8);
        }

        await buffered.FlushAsync(cancellationToken);
        return count;
    }

    private void WriteJson(Utf8JsonWriter json, UsageRecord r)
    {
        var t = r.Tokens;
        var (cost, source) = Cost(r);
        json.WriteStartObject();
        json.WriteString("timestamp", Instant(r.Timestamp));
        json.WriteString("sessionId", r.SessionId);
        json.WriteString("agentId", r.AgentId);
        json.WriteBoolean("isSidechain", r.IsSidechain);
        json.WriteString("project", r.Project);
        json.WriteString("cwd", r.Cwd);
        json.WriteString("gitBranch", r.GitBranch);
        json.WriteString("model", r.Model);
        json.WriteString("catalogModel", CatalogModel(r.Model));
        json.WriteNumber("inputTokens", t.Input);
        json.WriteNumber("outputTokens", t.Output);
        json.WriteNumber("cacheCreationTokens", t.CacheWrite);
        json.WriteNumber("cacheCreation5mTokens", t.CacheWrite5m);
        json.WriteNumber("cacheCreation1hTokens", t.CacheWrite1h);
        json.WriteNumber("cacheReadTokens", t.CacheRead);
        json.WriteNumber("totalTokens", t.Total);
        json.WriteBoolean("cacheSplitMissing", r.CacheSplitMissing);
        json.WriteNumber("webSearchRequests", r.WebSearchRequests);
        json.WriteNumber("webFetchRequests", r.WebFetchRequests);
        json.WriteString("serviceTier", r.ServiceTier);
        json.WriteString("speed", r.Speed);
        json.WriteString("inferenceGeo", r.InferenceGeo);
        json.WriteNumber("costUSD", cost);
        json.WriteString("costSource", source);
        json.WriteNumber("calculatedCostUSD", r.Price?.CostUsd ?? 0m);
        if (r.ReportedCostUsd is { } reported)
        {
            json.WriteNumber("reportedCostUSD", reported);
        }
        else
        {
            json.WriteNull("reportedCostUSD");
        }

        json.WriteString("priceStatus", Status(r.Price));
        json.WriteBoolean("longContext", r.Price?.LongContext ?? false);
        json.WriteString("catalogVersion", r.Price?.CatalogVersion);
        json.WriteStartArray("tools");
        foreach (var tool in r.Tools)
        {
            json.WriteStringValue(tool);
        }

        json.WriteEndArray();
        json.WriteString("clientVersion", r.ClientVersion);
        json.WriteString("messageId", r.MessageId);
        json.WriteString("requestId", r.RequestId);
        json.WriteString("uuid", r.Uuid);
        json.WriteString("key", r.Key);
        json.WriteString("sourceFile", r.SourceFile);
        json.WriteNumber("sourceLine", r.SourceLine);
        json.WriteEndObject();
    }

    private void WriteCsv(TextWriter csv, UsageRecord r)
    {
        var t = r.Tokens;
        var (cost, source) = Cost(r);
        Text(csv, Instant(r.Timestamp));
        Text(csv, r.SessionId);
        Text(csv, r.AgentId);
        Text(csv, r.IsSidechain ? "true" : "false");
        Text(csv, r.Project);
        Text(csv, r.Cwd);
        Text(csv, r.GitBranch);
        Text(csv, r.Model);
        Text(csv, CatalogModel(r.Model));
        Number(csv, t.Input);
        Number(csv, t.Output);
        Number(csv, t.CacheWrite);
        Number(csv, t.CacheWrite5m);
        Number(csv, t.CacheWrite1h);
        Number(csv, t.CacheRead);
        Number(csv, t.Total);
        Text(csv, r.CacheSplitMissing ? "true" : "false");
        Number(csv, r.WebSearchRequests);
        Number(csv, r.WebFetchRequests);
        Text(csv, r.ServiceTier);
        Text(csv, r.Speed);
        Text(csv, r.InferenceGeo);
        Money(csv, cost);
        Text(csv, source);
        Money(csv, r.Price?.CostUsd ?? 0m);
        Text(csv, r.ReportedCostUsd?.ToString(CultureInfo.InvariantCulture));
        Text(csv, Status(r.Price));
        Text(csv, r.Price?.LongContext == true ? "true" : "false");
        Text(csv, r.Price?.CatalogVersion);
        Text(csv, string.Join(';', r.Tools));
        Text(csv, r.ClientVersion);
        Text(csv, r.MessageId);
        Text(csv, r.RequestId);
        Text(csv, r.Uuid);
        Text(csv, r.Key);
        Text(csv, r.SourceFile);
        Span<char> digits = stackalloc char[24];
        r.SourceLine.TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture);
        CsvText.Field(csv, digits[..written]);
        csv.Write("\r\n");
    }

    /// <summary>The record's cost in the export's cost mode, and where it came from (as <c>--mode</c> sums it in reports).</summary>
    private (decimal Cost, string Source) Cost(UsageRecord r)
    {
        var calculated = r.Price?.CostUsd ?? 0m;
        return mode switch
        {
            CostMode.Calculate => (calculated, "calculated"),
            CostMode.Display => r.ReportedCostUsd is { } shown ? (shown, "reported") : (0m, "none"),
            _ => r.ReportedCostUsd is { } reported ? (reported, "reported") : (calculated, "calculated"),
        };
    }

    private string? CatalogModel(string model)
    {
        if (!_catalogModels.TryGetValue(model, out var found))
        {
            _catalogModels[model] = found = catalog.Find(model)?.Id;
        }

        return found;
    }

    private static string Status(PriceQuote? price) => price?.Status switch
    {
        PriceStatus.Priced => "priced",
        PriceStatus.Unpriced => "unpriced",
        PriceStatus.Free => "free",
        _ => "unknown",
    };

    private static void Text(TextWriter csv, string? value)
    {
        CsvText.Field(csv, value);
        csv.Write(',');
    }

    private static void Number(TextWriter csv, long value)
    {
        Span<char> digits = stackalloc char[24];
        value.TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture);
        csv.Write(digits[..written]);
        csv.Write(',');
    }

    private static void Money(TextWriter csv, decimal value)
    {
        Span<char> digits = stackalloc char[40];
        value.TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture);
        csv.Write(digits[..written]);
        csv.Write(',');
    }

    private static string Instant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
