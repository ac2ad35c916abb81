using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tally.Core.Limits;
using Tally.Core.Storage;
using Tally.Core.Usage;

namespace Tally.Proxy;

/// <summary>What one proxied response leaves for the store.</summary>
internal sealed record MeterItem(UsageRecord? Record, IReadOnlyList<ObservedSignal> Signals, IReadOnlyList<RateLimitHeader> Headers);

/// <summary>
/// Store writes off the request path: a bounded queue that a request never waits on (when it is full the item is
/// dropped and counted), drained by one background writer in batches (one transaction per batch). A failed write is
/// counted and logged; the requests it came from finished long before.
/// </summary>
public sealed class MeterWriter : BackgroundService
{
    private readonly Channel<MeterItem> _channel;
    private readonly IUsageStore _store;
    private readonly ProxyStats _stats;
    private readonly ILogger _log;
    private readonly int _batchSize;
    private readonly TimeSpan _linger;
    private long _pending;

    /// <summary>Creates the queue over <paramref name="store"/>.</summary>
    public MeterWriter(IUsageStore store, ProxyOptions options, ProxyStats stats, ILogger<MeterWriter> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _stats = stats;
        _log = log;
        _batchSize = Math.Max(1, options.BatchSize);
        _linger = options.BatchLinger;
        _channel = Channel.CreateBounded<MeterItem>(new BoundedChannelOptions(Math.Max(1, options.QueueCapacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of waiting: the caller counts the drop
        });
    }

    /// <summary>Items queued or being written (tests wait for zero).</summary>
    public long Pending => Interlocked.Read(ref _pending);

    internal void Enqueue(MeterItem item)
    {
        Interlocked.Increment(ref _pending);
        if (!_channel.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref _pending);
            _stats.AddDropped();
            _log.LogWarning("The metering queue is full: a call was not recorded ({Dropped} dropped so far).", _stats.Dropped);
        }
    }

    /// <summary>Waits until everything queued so far has been written or has failed.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (Pending > 0)
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _channel.Reader;
        var batch = new List<MeterItem>(_batchSize);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                if (_linger > TimeSpan.Zero)
                {
                    await Task.Delay(_linger, stoppingToken); // the calls that arrive meanwhile join this transaction
                }

                await WriteAvailableAsync(reader, batch, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await WriteAvailableAsync(reader, batch, CancellationToken.None); // what was queued before the stop
    }

    /// <inheritdoc />
    public override Task StopAsync(CancellationToken cancellationToken)
    {
        _channel.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }

    private async Task WriteAvailableAsync(ChannelReader<MeterItem> reader, List<MeterItem> batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            batch.Clear();
            while (batch.Count < _batchSize && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            if (batch.Count == 0)
            {
                return;
            }

            var records = batch.Where(static i => i.Record is not null).Select(static i => i.Record!).ToList();
            try
            {
                await _store.RecordProxyAsync(records, [.. batch.SelectMany(static i => i.Signals)], Latest(batch.SelectMany(static i => i.Headers)), cancellationToken);
                _stats.AddWritten(records.Count);
            }
#pragma warning disable CA1031 // a failed write must never stop the writer: it is counted and logged, and the next batch is tried
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _stats.AddWriteFailure();
                _log.LogError("Writing {Count} metered calls to the index failed ({Failures} failures so far): {Reason}", records.Count, _stats.WriteFailures, ex.Message);
            }
            finally
            {
                Interlocked.Add(ref _pending, -batch.Count);
            }
        }
    }

    private static List<RateLimitHeader> Latest(IEnumerable<RateLimitHeader> headers) =>
        [.. headers.GroupBy(static h => (h.Account, h.Name)).Select(static g => g.MaxBy(static h => h.ObservedAt)!)];
}
