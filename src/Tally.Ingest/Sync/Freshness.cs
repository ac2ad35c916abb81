using System.Buffers;
using System.IO.Hashing;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Tally.Ingest.Sync;

/// <summary>A command's question to a running watcher: bring this index up to date with these folders, and say so.</summary>
/// <param name="IndexFile">The index the command reads (full path).</param>
/// <param name="Folders">The <c>projects/</c> folders the command would walk (full paths).</param>
public sealed record FreshnessRequest(string IndexFile, IReadOnlyList<string> Folders);

/// <summary>A watcher's answer: the index is current (after syncing what changed since its last sync), or why it
/// cannot say so (the command then walks every transcript itself).</summary>
/// <param name="Fresh">True when every write completed before the question is in the index.</param>
/// <param name="Reason">Why not, when not.</param>
public sealed record FreshnessAnswer(bool Fresh, string? Reason)
{
    /// <summary>Transcripts the watcher read to answer.</summary>
    public int FilesRead { get; init; }

    /// <summary>Usage lines the watcher read to answer.</summary>
    public long RecordsRead { get; init; }

    /// <summary>Lines that could not be counted in the watcher's sync.</summary>
    public long Problems { get; init; }

    /// <summary>A "no" with its reason.</summary>
    public static FreshnessAnswer Stale(string reason) => new(false, reason);
}

/// <summary>
/// Where a watcher answers for an index: a Unix socket in the user's runtime folder (<c>$XDG_RUNTIME_DIR/tally</c>,
/// else <c>tally-UID</c> in the temporary folder, made private to the user), named by a hash of the index's full path.
/// Either end checks that the other runs as the same user (<c>SO_PEERCRED</c>).
/// </summary>
public static partial class FreshnessSocket
{
    private const int SolSocket = 1, PeerCredentials = 17;

    /// <summary>True where Unix sockets and peer credentials work (Linux).</summary>
    public static bool Supported => OperatingSystem.IsLinux() && Socket.OSSupportsUnixDomainSockets;

    /// <summary>The socket's path for <paramref name="indexFile"/>, given the environment's variables.</summary>
    public static string PathFor(string indexFile, Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(indexFile);
        ArgumentNullException.ThrowIfNull(variable);
        var runtime = variable("XDG_RUNTIME_DIR") is { Length: > 0 } xdg && System.IO.Path.IsPathFullyQualified(xdg)
            ? System.IO.Path.Join(xdg, "tally")
            : System.IO.Path.Join(System.IO.Path.GetTempPath(), $"tally-{UserId()}");
        var hash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(System.IO.Path.GetFullPath(indexFile)));
        return System.IO.Path.Join(runtime, $"index-{hash:x16}.sock");
    }

    /// <summary>The effective user id of this process.</summary>
    internal static uint UserId() => GetEffectiveUserId();

    /// <summary>True when the process at the other end of <paramref name="socket"/> runs as this process's user.</summary>
    internal static bool SameUser(Socket socket)
    {
        Span<byte> credentials = stackalloc byte[12]; // struct ucred: pid, uid, gid
        try
        {
            return socket.GetRawSocketOption(SolSocket, PeerCredentials, credentials) == 12
                && MemoryMarshal.Read<uint>(credentials[4..]) == UserId();
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Reads one newline-ended message of at most <paramref name="limit"/> bytes; null when the other end
    /// closed first or sent more.</summary>
    internal static async Task<byte[]?> ReadLineAsync(Socket socket, int limit, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        while (buffer.WrittenCount <= limit)
        {
            var memory = buffer.GetMemory(4096);
            var read = await socket.ReceiveAsync(memory, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return null;
            }

            var end = memory.Span[..read].IndexOf((byte)'\n');
            buffer.Advance(read);
            if (end >= 0)
            {
                return buffer.WrittenSpan[..(buffer.WrittenCount - read + end)].ToArray();
            }
        }

        return null;
    }

    /// <summary>Sends <paramref name="message"/> and a newline.</summary>
    internal static async Task WriteLineAsync(Socket socket, byte[] message, CancellationToken cancellationToken)
    {
        var framed = new byte[message.Length + 1];
        message.CopyTo(framed, 0);
        framed[^1] = (byte)'\n';
        var sent = 0;
        while (sent < framed.Length)
        {
            sent += await socket.SendAsync(framed.AsMemory(sent), SocketFlags.None, cancellationToken);
        }
    }

    internal static byte[] Encode(FreshnessRequest request) => Object(json =>
    {
        json.WriteNumber("version", 1);
        json.WriteString("index", request.IndexFile);
        json.WriteStartArray("folders");
        foreach (var folder in request.Folders)
        {
            json.WriteStringValue(folder);
        }

        json.WriteEndArray();
    });

    internal static FreshnessRequest? DecodeRequest(byte[] message) => Read(message, static root =>
        !root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || v != 1
        || !root.TryGetProperty("index", out var index) || index.ValueKind != JsonValueKind.String
        || !root.TryGetProperty("folders", out var folders) || folders.ValueKind != JsonValueKind.Array
        || folders.EnumerateArray().Any(static f => f.ValueKind != JsonValueKind.String)
            ? null
            : new FreshnessRequest(index.GetString()!, [.. folders.EnumerateArray().Select(static f => f.GetString()!)]));

    internal static byte[] Encode(FreshnessAnswer answer) => Object(json =>
    {
        json.WriteBoolean("fresh", answer.Fresh);
        if (answer.Reason is { } reason)
        {
            json.WriteString("reason", reason);
        }

        json.WriteNumber("filesRead", answer.FilesRead);
        json.WriteNumber("recordsRead", answer.RecordsRead);
        json.WriteNumber("problems", answer.Problems);
    });

    internal static FreshnessAnswer? DecodeAnswer(byte[] message) => Read(message, static root =>
        !root.TryGetProperty("fresh", out var fresh) || fresh.ValueKind is not (JsonValueKind.True or JsonValueKind.False)
            ? null
            : new FreshnessAnswer(fresh.GetBoolean(), root.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null)
            {
                FilesRead = root.TryGetProperty("filesRead", out var files) && files.TryGetInt32(out var f) ? f : 0,
                RecordsRead = root.TryGetProperty("recordsRead", out var records) && records.TryGetInt64(out var r) ? r : 0,
                Problems = root.TryGetProperty("problems", out var problems) && problems.TryGetInt64(out var p) ? p : 0,
            });

    /// <summary>One JSON object, its members written by <paramref name="members"/>.</summary>
    private static byte[] Object(Action<Utf8JsonWriter> members)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            members(json);
            json.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>What <paramref name="read"/> makes of the message's JSON; null when it is not JSON or not the shape.</summary>
    private static T? Read<T>(byte[] message, Func<JsonElement, T?> read)
        where T : class
    {
        try
        {
            using var document = JsonDocument.Parse(message);
            return read(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}

/// <summary>
/// A command's side: asks the watcher answering for its index (if one runs) whether the index is current. Any failure
/// (no socket, nobody listening, another user's socket, a malformed answer, no answer in time) is a null answer, and the
/// command walks the transcripts as it would without a watcher.
/// </summary>
public static class FreshnessClient
{
    /// <summary>Asks; null when no watcher answered.</summary>
    public static async Task<FreshnessAnswer?> AskAsync(string socketPath, FreshnessRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socketPath);
        ArgumentNullException.ThrowIfNull(request);
        if (!FreshnessSocket.Supported || !File.Exists(socketPath))
        {
            return null;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), limit.Token);
            if (!FreshnessSocket.SameUser(socket))
            {
                return null;
            }

            await FreshnessSocket.WriteLineAsync(socket, FreshnessSocket.Encode(request), limit.Token);
            return await FreshnessSocket.ReadLineAsync(socket, 64 * 1024, limit.Token) is { } message ? FreshnessSocket.DecodeAnswer(message) : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // no answer in time
        }
        catch (SocketException)
        {
            return null; // a socket left behind by a watcher that is gone, or one that closed on us
        }
    }
}

/// <summary>
/// A watcher's side: listens on the index's socket and hands each question to <c>answer</c>. One listener per index: a
/// socket another live listener holds is left alone (<see cref="TryStart"/> says so), a stale one is replaced.
/// </summary>
public sealed class FreshnessListener : IAsyncDisposable
{
    private const int RequestLimit = 1024 * 1024;
    private static readonly TimeSpan ReadPatience = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly string _path;
    private readonly Func<FreshnessRequest, CancellationToken, Task<FreshnessAnswer>> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private FreshnessListener(Socket socket, string path, Func<FreshnessRequest, CancellationToken, Task<FreshnessAnswer>> answer)
    {
        _socket = socket;
        _path = path;
        _answer = answer;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The socket's path.</summary>
    public string Path => _path;

    /// <summary>Listens at <paramref name="socketPath"/>; null with the reason when it cannot (another watcher answers
    /// there, the folder is not private to this user, or the system refused).</summary>
    public static FreshnessListener? TryStart(string socketPath, Func<FreshnessRequest, CancellationToken, Task<FreshnessAnswer>> answer, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(socketPath);
        ArgumentNullException.ThrowIfNull(answer);
        failure = null;
        if (!FreshnessSocket.Supported || OperatingSystem.IsWindows())
        {
            failure = "Unix sockets with peer credentials are not available here";
            return null;
        }

        try
        {
            var folder = System.IO.Path.GetDirectoryName(socketPath)!;
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            if ((File.GetUnixFileMode(folder) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                failure = $"{folder} can be written by other users";
                return null;
            }

            if (File.Exists(socketPath))
            {
                if (Answering(socketPath))
                {
                    failure = $"another watcher already answers for this index at {socketPath}";
                    return null;
                }

                File.Delete(socketPath);
            }

            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Bind(new UnixDomainSocketEndPoint(socketPath));
                socket.Listen(16);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            return new FreshnessListener(socket, socketPath, answer);
        }
        catch (Exception ex) when (ex is SocketException or IOException or UnauthorizedAccessException)
        {
            failure = ex.Message;
            return null;
        }
    }

    /// <summary>Stops listening, waits for the questions in flight, and removes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        try
        {
            File.Delete(_path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        _stop.Dispose();
    }

    private static bool Answering(string socketPath)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task AcceptAsync()
    {
        var inFlight = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = await _socket.AcceptAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    break;
                }

                inFlight.RemoveAll(static t => t.IsCompleted);
                inFlight.Add(ServeAsync(client));
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(inFlight);
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            try
            {
                if (!FreshnessSocket.SameUser(client))
                {
                    return;
                }

                FreshnessRequest? request;
                using (var reading = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
                {
                    reading.CancelAfter(ReadPatience);
                    request = await FreshnessSocket.ReadLineAsync(client, RequestLimit, reading.Token) is { } message ? FreshnessSocket.DecodeRequest(message) : null;
                }

                var answer = request is null ? FreshnessAnswer.Stale("the question could not be read") : await _answer(request, _stop.Token);
                await FreshnessSocket.WriteLineAsync(client, FreshnessSocket.Encode(answer), _stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The asker left, or the watcher is stopping: the asker walks the transcripts itself.
            }
        }
    }
}
