namespace Tally.Server.Live;

/// <summary>
/// A version number that goes up each time the index changes, and a way to wait for the next change: what the events
/// endpoint streams. Publishing never blocks; every waiter wakes on a change.
/// </summary>
internal sealed class IndexChanges
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;
    private DateTimeOffset? _changedAt;

    /// <summary>The current version (0 until the first change).</summary>
    public long Version
    {
        get
        {
            lock (_lock)
            {
                return _version;
            }
        }
    }

    /// <summary>When the last change was seen.</summary>
    public DateTimeOffset? ChangedAt
    {
        get
        {
            lock (_lock)
            {
                return _changedAt;
            }
        }
    }

    /// <summary>Records a change seen at <paramref name="at"/> and wakes every waiter.</summary>
    public void Publish(DateTimeOffset at)
    {
        TaskCompletionSource woken;
        lock (_lock)
        {
            _version++;
            _changedAt = at;
            woken = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        woken.TrySetResult();
    }

    /// <summary>Waits until the version differs from <paramref name="seen"/>, or <paramref name="timeout"/> passes; true on a change.</summary>
    public async Task<bool> WaitAsync(long seen, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task next;
        lock (_lock)
        {
            if (_version != seen)
            {
                return true;
            }

            next = _next.Task;
        }

        try
        {
            await next.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
