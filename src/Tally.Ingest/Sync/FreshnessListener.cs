using System.Net.Sockets;

namespace Tally.Ingest.Sync;

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
