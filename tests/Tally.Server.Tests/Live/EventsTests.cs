using System.Text;
using Tally.Server.Tests.Harness;

namespace Tally.Server.Tests.Live;

/// <summary><c>/api/events</c> tells a client when the index changed: after a transcript grows, with no timing assertion
/// (only a bound on how long the test waits before it gives up).</summary>
public class EventsTests
{
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_index_event_follows_a_transcript_that_grows_and_the_api_then_counts_the_new_call()
    {
        await using var server = await ServerHarness.SampleAsync();
        var before = (await server.GetJsonAsync("/api/costs")).GetProperty("totals").GetProperty("requests").GetInt64();
        using var stop = new CancellationTokenSource(GiveUp);
        using var response = await server.Client.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, stop.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token), Encoding.UTF8);
        var hello = await NextEventAsync(events, stop.Token);
        Assert.Equal("hello", hello.Name);

        var transcript = Path.Combine(server.ClaudeDir, "projects", "-home-alice-work-blog", "9b1e4d2a-3c4f-4a5b-8c6d-7e8f9a0b1c2d.jsonl");
        await File.AppendAllTextAsync(transcript, Line("msg_01EventsTestNewCall000001", "2026-11-20T11:00:00.000Z"), stop.Token);

        // Index events may also come from other commits (a rollup refresh at start): wait for the one after which the
        // API counts the new call. Only the give-up bound is timed.
        var last = long.Parse(hello.Id!, System.Globalization.CultureInfo.InvariantCulture);
        long after;
        do
        {
            var change = await NextEventAsync(events, stop.Token, skipKeepAlives: true);
            Assert.Equal("index", change.Name);
            var version = long.Parse(change.Id!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(version > last, $"version {version} after {last}");
            Assert.Contains($"\"version\":{version}", change.Data, StringComparison.Ordinal);
            last = version;
            after = (await server.GetJsonAsync("/api/costs")).GetProperty("totals").GetProperty("requests").GetInt64();
        }
        while (after == before);

        Assert.Equal(before + 1, after);
    }

    [Fact]
    public async Task A_client_that_reconnects_behind_the_current_version_is_told_at_once()
    {
        await using var server = await ServerHarness.SampleAsync();
        using var stop = new CancellationTokenSource(GiveUp);
        using (var first = await server.Client.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, stop.Token))
        {
            using var reader = new StreamReader(await first.Content.ReadAsStreamAsync(stop.Token));
            Assert.Equal("hello", (await NextEventAsync(reader, stop.Token)).Name);
            var transcript = Path.Combine(server.ClaudeDir, "projects", "-home-alice-work-blog", "9b1e4d2a-3c4f-4a5b-8c6d-7e8f9a0b1c2d.jsonl");
            await File.AppendAllTextAsync(transcript, Line("msg_01EventsTestReconnect0001", "2026-11-20T11:30:00.000Z"), stop.Token);
            Assert.Equal("index", (await NextEventAsync(reader, stop.Token, skipKeepAlives: true)).Name);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        request.Headers.Add("Last-Event-ID", "0");
        using var again = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
        using var events = new StreamReader(await again.Content.ReadAsStreamAsync(stop.Token));
        Assert.Equal("hello", (await NextEventAsync(events, stop.Token)).Name);
        Assert.Equal("index", (await NextEventAsync(events, stop.Token)).Name);
    }

    private static string Line(string messageId, string timestamp) =>
        "{\"parentUuid\":null,\"isSidechain\":false,\"userType\":\"external\",\"cwd\":\"/home/alice/work/blog\",\"sessionId\":\"9b1e4d2a-3c4f-4a5b-8c6d-7e8f9a0b1c2d\",\"version\":\"2.0.14\",\"gitBranch\":\"main\","
        + "\"message\":{\"id\":\"" + messageId + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-opus-4-1-20250805\",\"content\":[{\"type\":\"text\",\"text\":\"Done.\"}],"
        + "\"usage\":{\"input_tokens\":10,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":100,\"output_tokens\":20}},"
        + "\"requestId\":\"req_" + messageId + "\",\"type\":\"assistant\",\"uuid\":\"" + Guid.NewGuid() + "\",\"timestamp\":\"" + timestamp + "\"}\n";

    /// <summary>Reads up to the next blank line: one event (comments skipped when asked).</summary>
    private static async Task<(string? Name, string? Id, string Data)> NextEventAsync(StreamReader reader, CancellationToken cancellationToken, bool skipKeepAlives = false)
    {
        while (true)
        {
            string? name = null, id = null;
            var data = new StringBuilder();
            var comment = false;
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length == 0)
                {
                    break;
                }

                if (line.StartsWith(':'))
                {
                    comment = true;
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = line["id: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data.Append(line["data: ".Length..]);
                }
            }

            if (!(comment && name is null && skipKeepAlives))
            {
                return (name, id, data.ToString());
            }
        }
    }
}
