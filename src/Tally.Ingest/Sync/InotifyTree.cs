using System.Runtime.InteropServices;
using Tally.Ingest.ClaudeCode;

namespace Tally.Ingest.Sync;

/// <summary>
/// Linux's inotify over whole folder trees, read by hand rather than through <see cref="FileSystemWatcher"/> for one
/// property the latter cannot give: <see cref="Drain"/> reads every event the kernel has queued, synchronously. The
/// kernel queues a write's event before the write returns, so after a drain every change completed before it began is
/// known; that is what lets a watcher vouch that the index is current (see <see cref="TranscriptWatcher.TakeChanges"/>).
/// One watch per directory (inotify is not recursive); directories that appear are watched, then listed, so a file
/// created in between is not missed. Not thread-safe: the owner serialises every call.
/// </summary>
internal sealed partial class InotifyTree : IDisposable
{
    private const uint Modify = 0x2, Attrib = 0x4, MovedFrom = 0x40, MovedTo = 0x80, Create = 0x100, Delete = 0x200;
    private const uint DeleteSelf = 0x400, MoveSelf = 0x800, QueueOverflow = 0x4000, Ignored = 0x8000;
    private const uint OnlyDirectory = 0x0100_0000, DontFollow = 0x0200_0000, ExcludeUnlinked = 0x0400_0000, IsDirectory = 0x4000_0000;
    private const uint Mask = Modify | Attrib | MovedFrom | MovedTo | Create | Delete | DeleteSelf | MoveSelf | OnlyDirectory | ExcludeUnlinked;
    private const int NonBlocking = 0x800, CloseOnExec = 0x80000;
    private const int WouldBlock = 11, Interrupted = 4;
    private const short PollIn = 1;

    private readonly int _fd;
    private readonly int _wake;
    private readonly Dictionary<int, string> _directories = [];
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _disposed;

    private InotifyTree(int fd, int wake)
    {
        _fd = fd;
        _wake = wake;
    }

    /// <summary>True when inotify can be used here (Linux, with the calls in its C library).</summary>
    public static bool Supported { get; } = OperatingSystem.IsLinux() && Probe();

    /// <summary>True once a directory under a root went away or moved, or a root did: the paths kept for the watches may
    /// be wrong from then on, and a new tree is needed.</summary>
    public bool Broken { get; private set; }

    /// <summary>How many directories are watched.</summary>
    public int Directories => _directories.Count;

    /// <summary>Opens an inotify instance, or returns null with the system's reason (the per-user instance limit).</summary>
    public static InotifyTree? TryOpen(out string? failure)
    {
        failure = null;
        var fd = InotifyInit(NonBlocking | CloseOnExec);
        if (fd < 0)
        {
            failure = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
            return null;
        }

        var wake = EventFd(0, NonBlocking | CloseOnExec);
        if (wake < 0)
        {
            failure = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
            _ = Close(fd);
            return null;
        }

        return new InotifyTree(fd, wake);
    }

    /// <summary>
    /// Watches <paramref name="root"/> and every directory below it (symbolic links below it are not followed, as the
    /// transcript walk does not follow them); returns null, or the system's reason when a watch could not be added (the
    /// per-user watch limit, <c>fs.inotify.max_user_watches</c>). Transcripts already there are not reported.
    /// </summary>
    public string? AddRoot(string root) => AddTree(root, isRoot: true, found: null);

    /// <summary>
    /// Waits until events are queued, <see cref="Wake"/> is called, or <paramref name="timeoutMs"/> passes (-1: no
    /// limit). True when events are queued.
    /// </summary>
    public bool Wait(int timeoutMs)
    {
        Span<PollFd> fds = [new PollFd { Fd = _fd, Events = PollIn }, new PollFd { Fd = _wake, Events = PollIn }];
        while (true)
        {
            var ready = Poll(ref MemoryMarshal.GetReference(fds), 2, timeoutMs);
            if (ready >= 0)
            {
                return ready > 0 && (fds[0].Returned & PollIn) != 0;
            }

            if (Marshal.GetLastPInvokeError() != Interrupted)
            {
                return false;
            }
        }
    }

    /// <summary>Ends a <see cref="Wait"/> in progress (or the next one).</summary>
    public void Wake()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            ulong one = 1;
            _ = Write(_wake, ref one, sizeof(ulong));
        }
    }

    /// <summary>
    /// Reads every queued event without waiting, and reports each transcript (<c>*.jsonl</c>) written, created or moved
    /// in to <paramref name="changed"/> (with every transcript under a directory that appeared). Returns false when the
    /// events cannot say what changed: the queue overflowed, or a transcript or directory went away or moved out (a
    /// full sync then marks what is gone).
    /// </summary>
    public bool Drain(Action<string> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var complete = true;
        while (true)
        {
            var read = Read(_fd, ref MemoryMarshal.GetArrayDataReference(_buffer), _buffer.Length);
            if (read < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error == Interrupted)
                {
                    continue;
                }

                return complete && error == WouldBlock;
            }

            if (read == 0)
            {
                return complete;
            }

            complete &= Handle(_buffer.AsSpan(0, (int)read), changed);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _ = Close(_fd);
            _ = Close(_wake);
        }
    }

    private bool Handle(ReadOnlySpan<byte> events, Action<string> changed)
    {
        var complete = true;
        while (events.Length >= 16)
        {
            var wd = MemoryMarshal.Read<int>(events);
            var mask = MemoryMarshal.Read<uint>(events[4..]);
            var length = MemoryMarshal.Read<int>(events[12..]);
            var name = events.Slice(16, length);
            var end = name.IndexOf((byte)0);
            var fileName = System.Text.Encoding.UTF8.GetString(end < 0 ? name : name[..end]);
            events = events[(16 + length)..];

            if ((mask & QueueOverflow) != 0)
            {
                complete = false;
                continue;
            }

            if (!_directories.TryGetValue(wd, out var directory))
            {
                continue; // a watch removed earlier; its last events still arrive
            }

            if ((mask & (Ignored | DeleteSelf | MoveSelf)) != 0)
            {
                // The directory itself went away or moved: its path (and its children's) can no longer be trusted.
                if ((mask & Ignored) != 0)
                {
                    _directories.Remove(wd);
                }

                Broken = true;
                complete = false;
                continue;
            }

            if (fileName.Length == 0)
            {
                continue;
            }

            var path = Path.Join(directory, fileName);
            if ((mask & IsDirectory) != 0)
            {
                if ((mask & (Create | MovedTo)) != 0)
                {
                    // Watch first, then list: a transcript written in between is listed, or reported by the new watch.
                    if (AddTree(path, isRoot: false, changed) is not null)
                    {
                        complete = false;
                    }
                }
                else if ((mask & (Delete | MovedFrom)) != 0)
                {
                    Broken |= (mask & MovedFrom) != 0; // the moved directory's watch now has a wrong path
                    complete = false;
                }

                continue;
            }

            if (!fileName.EndsWith(".jsonl", StringComparison.Ordinal))
            {
                continue;
            }

            if ((mask & (Delete | MovedFrom)) != 0)
            {
                complete = false;
            }
            else if ((mask & (Modify | Attrib | Create | MovedTo)) != 0)
            {
                changed(path);
            }
        }

        return complete;
    }

    /// <summary>Watches a directory and those below it, level by level; reports the transcripts found to
    /// <paramref name="found"/> when given. Null, or the reason a watch could not be added.</summary>
    private string? AddTree(string top, bool isRoot, Action<string>? found)
    {
        var level = new List<string> { top };
        var first = true;
        while (level.Count > 0)
        {
            var next = new List<string>();
            foreach (var directory in level)
            {
                var wd = AddWatch(_fd, directory, Mask | (first && isRoot ? 0 : DontFollow));
                if (wd < 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    if (!first && !Directory.Exists(directory))
                    {
                        continue; // gone between its listing and its watch: its parent's events say so
                    }

                    return Marshal.GetPInvokeErrorMessage(error);
                }

                _directories[wd] = directory;

                // Listed once its watch is in place (as the transcript walk lists); one gone or unreadable meanwhile has
                // no listing, and its watch (or its parent's) reports what happened.
                if (TranscriptWalk.List(directory) is var (files, directories))
                {
                    next.AddRange(directories.Select(name => Path.Join(directory, name)));
                    foreach (var name in files)
                    {
                        found?.Invoke(Path.Join(directory, name));
                    }
                }
            }

            level = next;
            first = false;
        }

        return null;
    }

    private static bool Probe()
    {
        try
        {
            var fd = InotifyInit(NonBlocking | CloseOnExec);
            if (fd < 0)
            {
                return false;
            }

            _ = Close(fd);
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Returned;
    }

    [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    private static partial int InotifyInit(int flags);

    [LibraryImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int AddWatch(int fd, string path, uint mask);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollFd fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, ref byte buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, ref ulong value, nint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
