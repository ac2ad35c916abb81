using System.Collections.Concurrent;

namespace Tally.Ingest.Sync;

/// <summary>
/// Watches the <c>projects/</c> folders for transcripts that grow or appear, and hands over the changed paths in
/// batches, so a live view syncs just those files instead of scanning every transcript on a timer. When the system
/// drops events (its queue overflowed), a transcript or folder goes away, or a folder cannot be watched, the next batch
/// says so and the caller falls back to one full sync. On Linux the kernel's queue is read by hand
/// (<see cref="InotifyTree"/>), which makes the watcher <see cref="Exact"/>; elsewhere <see cref="FileSystemWatcher"/>
/// does the watching.
/// </summary>
public sealed class TranscriptWatcher : IDisposable
{
    /// <summary>How often a folder that cannot be watched is looked at instead.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly List<string> _folders;
    private readonly Func<string, string?>? _refuse;
    private readonly Lock _gate = new();
    private readonly List<string> _unwatched = [];
    private readonly ConcurrentDictionary<string, byte> _changed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _signal = new(0);
    private readonly TimeSpan _settle;
    private InotifyTree? _tree;
    private Thread? _reader;
    private int _watching;
    private volatile bool _overflowed;
    private volatile bool _disposed;

    /// <summary>Starts watching <paramref name="projectFolders"/> (each a <c>projects/</c> folder; missing ones are skipped).</summary>
    /// <param name="projectFolders">The folders to watch, recursively.</param>
    /// <param name="settle">How long to wait after a change for more before handing a batch over (a streamed response
    /// writes several lines in quick succession).</param>
    public TranscriptWatcher(IEnumerable<string> projectFolders, TimeSpan? settle = null)
        : this(projectFolders, settle, refuse: null)
    {
    }

    /// <summary>As the public constructor, with <paramref name="refuse"/> naming the folders the system refuses to
    /// watch, and why (tests make it fail as the system does when its watches run out).</summary>
    internal TranscriptWatcher(IEnumerable<string> projectFolders, TimeSpan? settle, Func<string, string?>? refuse)
    {
        ArgumentNullException.ThrowIfNull(projectFolders);
        _settle = settle ?? TimeSpan.FromMilliseconds(150);
        _folders = [.. projectFolders];
        _refuse = refuse;
        Start();
    }

    /// <summary>How many folders are being watched.</summary>
    public int Watching => _watching;

    /// <summary>
    /// True when <see cref="TakeChanges"/> names every transcript written since the last take: every folder that exists
    /// is watched through the kernel's queue read by hand, and no watched directory has moved or gone since. Only then may
    /// the index this watcher keeps current be vouched for without looking at every file.
    /// </summary>
    public bool Exact
    {
        get
        {
            lock (_gate)
            {
                return _tree is { Broken: false } && _unwatched.Count == 0 && !_disposed;
            }
        }
    }

    /// <summary>True when a watched directory moved or went away, or a folder to watch appeared: the watch no longer
    /// covers what it should, and <see cref="Renew"/> is needed (before the full sync this calls for).</summary>
    public bool NeedsRenewal
    {
        get
        {
            lock (_gate)
            {
                // A folder the system refused is polled, not renewed: renewing cannot make the system accept it.
                return _tree is { Broken: true } || _watching + _unwatched.Count < _folders.Count(Directory.Exists);
            }
        }
    }

    /// <summary>The folders that could not be watched, each with the system's reason; they are polled instead.</summary>
    public IReadOnlyList<string> Unwatched => _unwatched;

    /// <summary>
    /// Watches every folder again from scratch (those that exist now): after <see cref="NeedsRenewal"/>. The next
    /// <see cref="TakeChanges"/> says events were lost, so the caller runs the full sync a fresh watch calls for.
    /// </summary>
    public void Renew()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Stop();
        lock (_gate)
        {
            _unwatched.Clear();
            _watching = 0;
            _overflowed = true;
        }

        Start();
    }

    /// <summary>
    /// Waits for changes (or <paramref name="timeout"/>), lets them settle, and returns the transcripts that changed:
    /// empty after a quiet timeout, null when events were lost and a full sync is needed. While a folder cannot be
    /// watched, a quiet wait lasts at most <see cref="PollInterval"/> and ends in null: a full sync looks at it.
    /// </summary>
    public async Task<IReadOnlyList<string>?> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!await WaitForChangesAsync(timeout, cancellationToken))
        {
            return _unwatched.Count > 0 ? null : [];
        }

        return TakeChanges();
    }

    /// <summary>
    /// Waits for a change (true, once changes have settled) or for <paramref name="timeout"/> (false; at most
    /// <see cref="PollInterval"/> while a folder cannot be watched). Takes nothing: see <see cref="TakeChanges"/>.
    /// </summary>
    public async Task<bool> WaitForChangesAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_unwatched.Count > 0 && timeout > PollInterval)
        {
            timeout = PollInterval;
        }

        if (!await _signal.WaitAsync(timeout, cancellationToken))
        {
            return false;
        }

        await Task.Delay(_settle, cancellationToken);
        while (_signal.CurrentCount > 0)
        {
            await _signal.WaitAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// The transcripts that changed since the last take, in ordinal order; null when events were lost (or a transcript
    /// went away) and a full sync is needed. With inotify read by hand, the kernel's queue is read first, so every write
    /// that completed before this call is among them (see <see cref="Exact"/>).
    /// </summary>
    public IReadOnlyList<string>? TakeChanges()
    {
        lock (_gate)
        {
            if (_tree is { } tree && !_disposed && !tree.Drain(NoteChanged))
            {
                _overflowed = true;
            }

            if (_overflowed)
            {
                _overflowed = false;
                _changed.Clear();
                return null;
            }

            var paths = _changed.Keys.Order(StringComparer.Ordinal).ToList();
            foreach (var path in paths)
            {
                _changed.TryRemove(path, out _);
            }

            return paths;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Stop();
        _signal.Dispose();
    }

    private void Start()
    {
        var folders = _folders.Where(Directory.Exists).ToList();
        if (InotifyTree.Supported)
        {
            StartInotify(folders);
            return;
        }

        foreach (var folder in folders)
        {
            var watcher = new FileSystemWatcher(folder)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
                InternalBufferSize = 64 * 1024,
            };
            watcher.Changed += (_, e) => Note(e.FullPath);
            watcher.Created += (_, e) => Note(e.FullPath);
            watcher.Renamed += (_, e) => Note(e.FullPath);
            watcher.Error += (_, _) => Overflow();
            try
            {
                if (_refuse?.Invoke(folder) is { } reason)
                {
                    throw new IOException(reason);
                }

                watcher.EnableRaisingEvents = true;
                _watchers.Add(watcher);
                _watching++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // The system's limit on watches or instances, or a folder that went away: poll it instead (see WaitAsync).
                watcher.Dispose();
                _unwatched.Add($"{folder}: {ex.Message}");
            }
        }
    }

    private void StartInotify(List<string> folders)
    {
        if (folders.Count == 0)
        {
            return;
        }

        var tree = InotifyTree.TryOpen(out var failure);
        foreach (var folder in folders)
        {
            var reason = failure ?? _refuse?.Invoke(folder) ?? tree!.AddRoot(folder);
            if (reason is null)
            {
                _watching++;
            }
            else
            {
                // The system's limit on watches (fs.inotify.max_user_watches) or instances (max_user_instances is 128
                // by default, and editors use many), or a folder that went away: poll it instead (see WaitAsync).
                _unwatched.Add($"{folder}: {reason}");
            }
        }

        if (tree is null)
        {
            return;
        }

        lock (_gate)
        {
            _tree = tree;
        }

        _reader = new Thread(() => Read(tree)) { IsBackground = true, Name = "Tally transcript watcher" };
        _reader.Start();
    }

    /// <summary>Stops watching: the reader thread ends and the inotify instance is closed (or the watchers disposed).</summary>
    private void Stop()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _watchers.Clear();
        InotifyTree? tree;
        lock (_gate)
        {
            tree = _tree;
            _tree = null; // the reader sees it is no longer current, and a take no longer drains it
        }

        if (tree is not null)
        {
            tree.Wake();
            _reader?.Join();
            tree.Dispose();
        }

        _reader = null;
    }

    /// <summary>The inotify reader's loop: waits for the kernel's queue, drains it, and signals news.</summary>
    private void Read(InotifyTree tree)
    {
        while (Current(tree))
        {
            if (!tree.Wait(-1))
            {
                if (Current(tree))
                {
                    Thread.Sleep(PollInterval); // poll itself failed: do not spin on it
                }

                continue;
            }

            bool news;
            lock (_gate)
            {
                if (!Current(tree))
                {
                    return;
                }

                // Only news wakes the waiter: a write to a file that is no transcript, or one already noted, does not.
                var noted = _changed.Count;
                if (!tree.Drain(NoteChanged))
                {
                    _overflowed = true;
                }

                news = _overflowed || _changed.Count != noted;
            }

            if (news)
            {
                _signal.Release();
            }
        }
    }

    private bool Current(InotifyTree tree) => !_disposed && ReferenceEquals(Volatile.Read(ref _tree), tree);

    private void NoteChanged(string path) => _changed[path] = 0;

    private void Note(string path)
    {
        if (path.EndsWith(".jsonl", StringComparison.Ordinal))
        {
            _changed[path] = 0;
            _signal.Release();
        }
        else if (Directory.Exists(path))
        {
            // A new folder (a session's subagents/) may hold transcripts written before its watch was in place.
            try
            {
                foreach (var file in Directory.EnumerateFiles(path, "*.jsonl", SearchOption.AllDirectories))
                {
                    _changed[file] = 0;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Overflow(); // gone or unreadable while listed: a full sync sorts it out
                return;
            }

            _signal.Release();
        }
    }

    private void Overflow()
    {
        _overflowed = true;
        _signal.Release();
    }
}
