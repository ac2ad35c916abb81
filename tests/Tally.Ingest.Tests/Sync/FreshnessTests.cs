using System.Net.Sockets;
using Tally.Ingest.Sync;

namespace Tally.Ingest.Tests.Sync;

/// <summary>The question a command asks a running watcher, over a real Unix socket.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class FreshnessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_question_and_the_answer_cross_the_socket_whole()
    {
        using var temp = new TempDirectory();
        var socket = Socket(temp);
        FreshnessRequest? asked = null;
        var listener = FreshnessListener.TryStart(socket, (request, _) =>
        {
            asked = request;
            return Task.FromResult(new FreshnessAnswer(true, null) { FilesRead = 2, RecordsRead = 7, Problems = 1 });
        }, out var failure);
        Assert.Null(failure);
        await using (listener!)
        {
            var request = new FreshnessRequest("/home/me/.local/share/tally/index.db", ["/home/me/.claude/projects", "/home/me/odd \"name\"\nwith a newline/projects"]);
            var answer = await FreshnessClient.AskAsync(socket, request, Patience, CancellationToken.None);

            Assert.Equal(new FreshnessAnswer(true, null) { FilesRead = 2, RecordsRead = 7, Problems = 1 }, answer);
            Assert.Equal(request.IndexFile, asked!.IndexFile);
            Assert.Equal(request.Folders, asked.Folders);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(socket)!));
        }

        Assert.False(File.Exists(socket)); // removed on the way out
        Assert.Null(await FreshnessClient.AskAsync(socket, new FreshnessRequest("/i", []), Patience, CancellationToken.None));
    }

    [Fact]
    public async Task A_socket_left_behind_is_replaced_and_a_live_one_is_left_to_its_listener()
    {
        using var temp = new TempDirectory();
        var socket = Socket(temp);
        Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
        using (var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            dead.Bind(new UnixDomainSocketEndPoint(socket)); // bound, never listening: what a killed watcher leaves
        }

        Assert.Null(await FreshnessClient.AskAsync(socket, new FreshnessRequest("/i", []), Patience, CancellationToken.None));

        await using var first = FreshnessListener.TryStart(socket, (_, _) => Task.FromResult(FreshnessAnswer.Stale("first")), out var failure);
        Assert.NotNull(first);
        Assert.Null(failure);

        var second = FreshnessListener.TryStart(socket, (_, _) => Task.FromResult(FreshnessAnswer.Stale("second")), out failure);
        Assert.Null(second);
        Assert.Contains("another watcher already answers", failure, StringComparison.Ordinal);
        Assert.Equal("first", (await FreshnessClient.AskAsync(socket, new FreshnessRequest("/i", []), Patience, CancellationToken.None))!.Reason);
    }

    [Fact]
    public async Task A_question_that_is_not_one_gets_a_no_and_a_silent_watcher_gets_no_answer_in_time()
    {
        using var temp = new TempDirectory();
        var socket = Socket(temp);
        var release = new TaskCompletionSource();
        await using var listener = FreshnessListener.TryStart(socket, async (request, token) =>
        {
            await release.Task.WaitAsync(token);
            return new FreshnessAnswer(true, null);
        }, out _);

        using (var raw = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            await raw.ConnectAsync(new UnixDomainSocketEndPoint(socket));
            await raw.SendAsync("{\"version\": 1.5, \"index\": \"/i\", \"folders\": []}\n"u8.ToArray(), SocketFlags.None);
            var buffer = new byte[4096];
            var read = await raw.ReceiveAsync(buffer, SocketFlags.None);
            var answer = System.Text.Json.JsonDocument.Parse(buffer.AsMemory(0, read - 1)).RootElement;
            Assert.False(answer.GetProperty("fresh").GetBoolean());
        }

        // The watcher is held up: the asker gives up after its patience, with no answer (it then walks the transcripts).
        Assert.Null(await FreshnessClient.AskAsync(socket, new FreshnessRequest("/i", []), TimeSpan.FromMilliseconds(200), CancellationToken.None));
        release.SetResult();
        Assert.True((await FreshnessClient.AskAsync(socket, new FreshnessRequest("/i", []), Patience, CancellationToken.None))!.Fresh);
    }

    [Fact]
    public void The_socket_is_in_the_runtime_folder_and_named_by_the_index()
    {
        var a = FreshnessSocket.PathFor("/home/me/.local/share/tally/index.db", v => v == "XDG_RUNTIME_DIR" ? "/run/user/1000" : null);
        var b = FreshnessSocket.PathFor("/home/me/other/index.db", v => v == "XDG_RUNTIME_DIR" ? "/run/user/1000" : null);
        var fallback = FreshnessSocket.PathFor("/home/me/.local/share/tally/index.db", _ => null);

        Assert.StartsWith("/run/user/1000/tally/index-", a, StringComparison.Ordinal);
        Assert.EndsWith(".sock", a, StringComparison.Ordinal);
        Assert.NotEqual(a, b);
        Assert.Equal(Path.GetFileName(a), Path.GetFileName(fallback));
        Assert.StartsWith(Path.Join(Path.GetTempPath(), "tally-"), fallback, StringComparison.Ordinal);
        Assert.True(a.Length < 108); // sun_path's size
    }

    private static string Socket(TempDirectory temp) => FreshnessSocket.PathFor(Path.Combine(temp.Path, "data", "index.db"), v => v == "XDG_RUNTIME_DIR" ? temp.Path : null);
}
