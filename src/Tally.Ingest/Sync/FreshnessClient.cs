using System.Net.Sockets;

namespace Tally.Ingest.Sync;

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
