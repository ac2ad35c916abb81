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
