using System.IO.Hashing;
using Tally.Core.Limits;
using Tally.Core.Pricing;
using Tally.Core.Storage;
using Tally.Core.Usage;
using Tally.Ingest.ClaudeCode;

namespace Tally.Ingest.Sync;

/// <summary>
/// Reads one transcript from where the index left it and cuts what it finds into batches, each carrying the
/// cursor that covers it. A file that shrank, or whose bytes before the cursor changed, is read again from its
/// start (records are upserted, so nothing counts twice).
/// </summary>
internal sealed class FileIngester(PriceCatalog catalog, ProjectResolver projects, int maxRecordsPerBatch = 1024, TimeZoneInfo? limitZone = null)
{
    private const int HashWindow = JsonlLineReader.HeadLength;
    private const int FullHashLimit = JsonlLineReader.PrefixLimit;
    private const int TailWindow = 64 * 1024;
    private const int SampleWindows = 16;
    private const long MaxBytesPerBatch = 32L * 1024 * 1024;

    public IEnumerable<IngestBatch> Read(TranscriptFile file, FileCursor? cursor, CancellationToken cancellationToken)
    {
        var stream = TryOpen(file.Path, out var error);
        if (stream is null)
        {
            yield return Unreadable(file, cursor, error!);
            yield break;
        }

        using (stream)
        {
            var restart = cursor is not null && (cursor.Missing || !StillSameFile(stream, cursor));
            var from = cursor is null || restart ? null : cursor;
            var paths = SourceContext.FromPath(file.Path);
            var fallbackProject = Path.GetFileName(Path.GetDirectoryName(paths.AgentId is null ? file.Path : Path.GetDirectoryName(Path.GetDirectoryName(file.Path))));
            var context = paths with { Zone = limitZone ?? TimeZoneInfo.Local, Completion = new RecordCompletion(catalog, projects, fallbackProject) };
            using var reader = new JsonlLineReader(stream, from?.Offset ?? 0, from?.Lines ?? 0);
            var expected = cursor;
            var records = new List<UsageRecord>();
            var problems = new List<IngestProblem>();
            var signals = new List<ObservedSignal>();
            var batchStart = reader.Offset;
            var first = true;
            while (reader.TryReadLine(out var line))
            {
                var outcome = reader.StreamedOutcome ?? TranscriptLineParser.Parse(line, context, reader.LineNumber);
                if (outcome.Problem is not null)
                {
                    problems.Add(new IngestProblem(file.Path, reader.LineNumber, outcome.Problem));
                }

                if (outcome.Record is { } record)
                {
                    records.Add(record);
                }

                if (outcome.Signal is { } signal)
                {
                    signals.Add(signal with { Source = $"{file.Path}:{reader.LineNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)}" });
                }

                if (records.Count >= maxRecordsPerBatch || reader.Offset - batchStart >= MaxBytesPerBatch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var batch = Batch(file, stream, reader, expected, restart && first, records, problems, complete: false) with { Signals = signals };
                    yield return batch;
                    expected = batch.Next;
                    first = false;
                    records = [];
                    problems = [];
                    signals = [];
                    batchStart = reader.Offset;
                }
            }

            if (first || records.Count > 0 || problems.Count > 0 || signals.Count > 0 || expected?.Offset != reader.Offset
                || expected.Size != file.Size || expected.ModifiedTicks != file.ModifiedTicks)
            {
                yield return Batch(file, stream, reader, expected, restart && first, records, problems, complete: true) with { Signals = signals };
            }
        }
    }

    private static FileStream? TryOpen(string path, out string? error)
    {
        try
        {
            error = null;
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = ex.Message;
            return null;
        }
    }

    /// <summary>A batch and its cursor. Only the last batch of a read records the file's size and time: a cursor
    /// left by an earlier batch (the run died before the rest committed) must not look like a finished file.</summary>
    private static IngestBatch Batch(TranscriptFile file, FileStream stream, JsonlLineReader reader, FileCursor? expected, bool restart, List<UsageRecord> records, List<IngestProblem> problems, bool complete)
    {
        var (head, consumed) = reader.PrefixHashes ?? Hashes(stream, reader.Offset);
        return new IngestBatch
        {
            Expected = expected,
            Restart = restart,
            Next = new FileCursor
            {
                Path = file.Path,
                Size = complete ? file.Size : -1,
                ModifiedTicks = complete ? file.ModifiedTicks : -1,
                Offset = reader.Offset,
                Lines = reader.LineNumber,
                HeadHash = head,
                ConsumedHash = consumed,
            },
            Records = records,
            Sightings = Sighting.BestOf(records), // merged here, on the reader's core, not by the single writer
            Problems = problems,
        };
    }

    private static IngestBatch Unreadable(TranscriptFile file, FileCursor? cursor, string reason) => new()
    {
        Expected = cursor,
        Next = (cursor ?? new FileCursor { Path = file.Path }) with { Size = -1, ModifiedTicks = -1 },
        Records = [],
        Problems = [new IngestProblem(file.Path, 0, $"cannot read the file: {reason}")],
    };

    private static bool StillSameFile(FileStream stream, FileCursor cursor)
    {
        if (stream.Length < cursor.Offset)
        {
            return false;
        }

        var (head, consumed) = Hashes(stream, cursor.Offset);
        return head == cursor.HeadHash && consumed == cursor.ConsumedHash;
    }

    /// <summary>
    /// The hash of the first bytes (up to 4 KiB, never past <paramref name="offset"/>), and a fingerprint of the bytes
    /// before <paramref name="offset"/>: every byte when there are at most 1 MiB, else the last 64 KiB and 16 evenly
    /// spread 4 KiB windows. A file rewritten in place is noticed unless the change avoids all of those bytes.
    /// </summary>
    internal static (ulong Head, ulong Consumed) Hashes(FileStream stream, long offset)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(FullHashLimit);
        try
        {
            var head = XxHash3.HashToUInt64(ReadAt(stream, 0, buffer.AsSpan(0, (int)Math.Min(HashWindow, offset))));
            if (offset <= FullHashLimit)
            {
                return (head, XxHash3.HashToUInt64(ReadAt(stream, 0, buffer.AsSpan(0, (int)offset))));
            }

            var hash = new XxHash3();
            for (var i = 0; i < SampleWindows; i++)
            {
                hash.Append(ReadAt(stream, offset / SampleWindows * i, buffer.AsSpan(0, HashWindow)));
            }

            hash.Append(ReadAt(stream, offset - TailWindow, buffer.AsSpan(0, TailWindow)));
            return (head, hash.GetCurrentHashAsUInt64());
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ReadOnlySpan<byte> ReadAt(FileStream stream, long offset, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(stream.SafeFileHandle, buffer[total..], offset + total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return buffer[..total];
    }
}
