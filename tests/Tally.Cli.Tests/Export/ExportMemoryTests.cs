using Tally.Cli.Output;
using Tally.Core.Export;
using Tally.Core.Pricing;
using Tally.Core.Storage;
using Tally.Core.Usage;
using Tally.Storage.Sqlite;

namespace Tally.Cli.Tests.Export;

/// <summary>Tests that measure the process's live heap: run alone, so no other test's objects are counted.</summary>
[CollectionDefinition(nameof(MemoryCollection), DisableParallelization = true)]
public sealed class MemoryCollection;

/// <summary>
/// Exporting records keeps memory flat: the live heap measured after 10,000 and after 190,000 of 200,000 records have
/// been written is within a few MB of the heap before the export. Reading them all into a list first (or buffering the
/// output) would hold well over 100 MB at one of those points.
/// </summary>
[Collection(nameof(MemoryCollection))]
public class ExportMemoryTests(ExportMemoryTests.GeneratedIndex index) : IClassFixture<ExportMemoryTests.GeneratedIndex>
{
    private const int Records = 200_000;
    private const long Bound = 8 * 1024 * 1024;

    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    [InlineData("jsonl")]
    public async Task Exporting_200k_records_holds_no_more_memory_than_the_first_few(string name)
    {
        var format = name switch { "csv" => ExportFormat.Csv, "json" => ExportFormat.Json, _ => ExportFormat.JsonLines };
        var store = await index.StoreAsync();
        var probe = new ProbeStream([10_000, 190_000]);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var exporter = new RecordExporter(format, CostMode.Auto, PriceCatalog.Embedded);
        var written = await exporter.WriteAsync(store.ReadRecordsAsync(new UsageQuery(), CancellationToken.None), probe, CancellationToken.None);

        Assert.Equal(Records, written);
        Assert.Equal(2, probe.Samples.Count);
        Assert.All(probe.Samples, s => Assert.True(s - before < Bound, $"live heap grew by {(s - before) / 1024 / 1024} MB during the export"));
        Assert.True(probe.Lines >= Records);
    }

    /// <summary>An index of <see cref="Records"/> generated records, built once for the class.</summary>
    public sealed class GeneratedIndex : IAsyncDisposable
    {
        private readonly TempDirectory _temp = new();
        private SqliteUsageStore? _store;

        public async Task<SqliteUsageStore> StoreAsync()
        {
            if (_store is null)
            {
                _store = SqliteUsageStore.Open(Path.Combine(_temp.Path, "index.db"));
                await GenerateAsync(_store, Records);
            }

            return _store;
        }

        public async ValueTask DisposeAsync()
        {
            if (_store is not null)
            {
                await _store.DisposeAsync();
            }

            _temp.Dispose();
        }
    }

    /// <summary>Writes <paramref name="count"/> priced records straight through the store's ingest API.</summary>
    private static async Task GenerateAsync(IUsageStore store, int count)
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        await using var ingest = await store.BeginIngestAsync(CancellationToken.None);
        FileCursor? cursor = null;
        for (var batch = 0; batch < count / 10_000; batch++)
        {
            var records = Enumerable.Range(batch * 10_000, 10_000).Select(i => new UsageRecord
            {
                Key = $"m:msg_{i:D8}",
                MessageId = $"msg_{i:D8}",
                Timestamp = start.AddSeconds(i),
                SessionId = $"session-{i / 500}",
                Cwd = "/home/dev/app",
                Project = "/home/dev/app",
                GitBranch = "main",
                Model = "claude-sonnet-4-5-20250929",
                Tokens = new TokenCounts(10, 200, 1_000, 0, 5_000),
                ContentHash = (ulong)i,
                Tools = ["Read", "Edit"],
                SourceLine = i + 1,
                Price = new PriceQuote(0.0123m, PriceStatus.Priced, null, false, "generated"),
            }).ToList();
            var next = new FileCursor { Path = "/generated.jsonl", Offset = (batch + 1) * 10_000L, Lines = (batch + 1) * 10_000L };
            Assert.True(await ingest.ApplyAsync(new IngestBatch { Expected = cursor, Next = next, Records = records, Problems = [] }, CancellationToken.None));
            cursor = next;
        }

        await ingest.CommitAsync(CancellationToken.None);
    }

    /// <summary>A sink that counts lines and samples the live heap when the count passes each mark.</summary>
    private sealed class ProbeStream(long[] marks) : Stream
    {
        private int _next;

        public List<long> Samples { get; } = [];

        public long Lines { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Lines += buffer.Count((byte)'\n');
            while (_next < marks.Length && Lines >= marks[_next])
            {
                Samples.Add(GC.GetTotalMemory(forceFullCollection: true));
                _next++;
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
