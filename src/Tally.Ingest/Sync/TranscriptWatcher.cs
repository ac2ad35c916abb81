using System.Collections.Concurrent;

namespace Tally.Ingest.Sync;

/// <summary>
/// Watches the <c>projects/</c> folders for transcripts that grow or appear, and hands over the changed paths in
/// batches, so a live view syncs just those files instead of scanning every transcript on a timer. When the system
/// drops events (its queue overflowed) or a folder cannot be watched, the next batch says so and the caller falls back
/// to one full sync.
/// </summary>
public sealed class TranscriptWatcher : IDisposable
{
    /// <summary>How often a folder that cannot be watched is looked at instead.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly List<string> _unwatched = [];
    private readonly ConcurrentDictionary<string, byte> _changed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _signal = new(0);
    private readonly TimeSpan _settle;
    private volatile bool _overflowed;

    /// <summary>Starts watching <paramref name="projectFolders"/> (each a <c>projects/</c> folder; missing ones are skipped).</summary>
    /// <param name="projectFolders">The folders to watch, recursively.</param>
    /// <param name="settle">How long to wait after a change for more before handing a batch over (a streamed response
    /// writes several lines in quick succession).</param>
    public TranscriptWatcher(IEnumerable<string> projectFolders, TimeSpan? settle = null)
        : this(projectFolders, settle, static watcher => watcher.EnableRaisingEvents = true)
    {
    }

    /// <summary>As the public constructor, with <paramref name="start"/> turning each watcher on (tests make it fail as
    /// the system does when its watches run out).</summary>
    internal TranscriptWatcher(IEnumerable<string> projectFolders, TimeSpan? settle, Action<FileSystemWatcher> start)
    {
        ArgumentNullException.ThrowIfNull(projectFolders);
        _settle = settle ?? TimeSpan.FromMilliseconds(150);
        foreach (var folder in projectFolders.Where(Directory.Exists))
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
                start(watcher);
                _watchers.Add(watcher);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // The system's limit on watches or instances (inotify's max_user_instances is 128 by default, and
                // editors use many), or a folder that went away: poll that folder instead (see WaitAsync).
                watcher.Dispose();
                _unwatched.Add($"{folder}: {ex.Message}");
            }
        }
    }

    /// <summary>How many folders are being watched.</summary>
    public int Watching => _watchers.Count;

    /// <summary>The folders that could not be watched, each with the system's reason; they are polled instead.</summary>
    public IReadOnlyList<string> Unwatched => _unwatched;

    /// <summary>
    /// Waits for changes (or <paramref name="timeout"/>), lets them settle, and returns the transcripts that changed:
    /// empty after a quiet timeout, null when events were lost and a full sync is needed. While a folder cannot be
    /// watched, a quiet wait lasts at most <see cref="PollInterval"/> and ends in null: a full sync looks at it.
    /// </summary>
    public async Task<IReadOnlyList<string>?> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var polling = _unwatched.Count > 0;
        if (polling && timeout > PollInterval)
        {
            timeout = PollInterval;
        }

        if (!await _signal.WaitAsync(timeout, cancellationToken))
        {
            return polling ? null : [];
        }

        await Task.Delay(_settle, cancellationToken);
        while (_signal.CurrentCount > 0)
        {
            await _signal.WaitAsync(cancellationToken);
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

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _signal.Dispose();
    }
}
