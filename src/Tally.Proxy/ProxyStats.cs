namespace Tally.Proxy;

/// <summary>What the proxy has done since it started (thread-safe counters).</summary>
public sealed class ProxyStats
{
    private long _forwarded;
    private long _metered;
    private long _unmetered;
    private long _meterFailures;
    private long _dropped;
    private long _writeFailures;
    private long _written;
    private long _refusedByBudget;
    private long _heldByBudget;
    private long _fallbacks;

    /// <summary>Requests forwarded upstream.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Calls whose usage was read.</summary>
    public long Metered => Interlocked.Read(ref _metered);

    /// <summary>Calls on a metered route whose usage could not be read (no message, an encoding Tally cannot read).</summary>
    public long Unmetered => Interlocked.Read(ref _unmetered);

    /// <summary>Exceptions while reading a response (the response itself was passed on untouched).</summary>
    public long MeterFailures => Interlocked.Read(ref _meterFailures);

    /// <summary>Calls dropped because the write queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Store writes that failed (their calls are lost to the index, not to the client).</summary>
    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    /// <summary>Records written to the store.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Requests refused by a <c>stop</c> budget or a <c>pause</c> that was not resumed in time.</summary>
    public long RefusedByBudget => Interlocked.Read(ref _refusedByBudget);

    /// <summary>Requests held by a <c>pause</c> budget.</summary>
    public long HeldByBudget => Interlocked.Read(ref _heldByBudget);

    /// <summary>Subscription requests retried with the fallback API key.</summary>
    public long Fallbacks => Interlocked.Read(ref _fallbacks);

    internal void AddForwarded() => Interlocked.Increment(ref _forwarded);

    internal void AddMetered() => Interlocked.Increment(ref _metered);

    internal void AddUnmetered() => Interlocked.Increment(ref _unmetered);

    internal void AddMeterFailure() => Interlocked.Increment(ref _meterFailures);

    internal void AddDropped() => Interlocked.Increment(ref _dropped);

    internal void AddWriteFailure() => Interlocked.Increment(ref _writeFailures);

    internal void AddWritten(long count) => Interlocked.Add(ref _written, count);

    internal void AddRefusedByBudget() => Interlocked.Increment(ref _refusedByBudget);

    internal void AddHeldByBudget() => Interlocked.Increment(ref _heldByBudget);

    internal void AddFallback() => Interlocked.Increment(ref _fallbacks);
}
