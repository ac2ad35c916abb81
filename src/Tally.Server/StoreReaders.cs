using Tally.Core.Storage;

namespace Tally.Server;

/// <summary>
/// Connections to one index that answer read requests side by side. Each store serializes its own calls, so with one
/// connection a page's ten requests queue behind each other; WAL lets several connections read at once. Requests are
/// dealt to the connections in turn. The stores belong to whoever made them (this never disposes them).
/// </summary>
/// <param name="stores">The connections, at least one: the server's main store first.</param>
public sealed class StoreReaders(IReadOnlyList<IUsageStore> stores)
{
    private readonly IReadOnlyList<IUsageStore> _stores = stores is { Count: > 0 } ? stores : throw new ArgumentException("At least one store is needed.", nameof(stores));
    private int _turn = -1;

    /// <summary>How many connections read.</summary>
    public int Count => _stores.Count;

    /// <summary>The store the next read request uses.</summary>
    public IUsageStore Next() => _stores[(int)((uint)Interlocked.Increment(ref _turn) % (uint)_stores.Count)];
}
