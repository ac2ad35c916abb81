using System.Net.Sockets;
using System.Text;
using Tally.Server.Tests.Harness;

namespace Tally.Server.Tests.Safety;

/// <summary>
/// A thousand generated query strings over every endpoint (random parameters, huge values, unicode, broken percent
/// encoding, injections, repeated keys, raw bytes) must never make the server answer 5xx. The generator is seeded, so a
/// failure names the request and reproduces.
/// </summary>
public class FuzzTests
{
    private const int Seed = 20_261_125;
    private const int Requests = 1000;

    private static readonly (string Method, string Path)[] Endpoints =
    [
        ("GET", "/api/costs"), ("GET", "/api/costs/projects"), ("GET", "/api/costs/rate-limits"), ("POST", "/api/costs/rescan"),
        ("GET", "/api/stats"), ("GET", "/api/stats/sessions"), ("GET", "/api/stats/tools"), ("GET", "/api/agents"),
        ("GET", "/api/export"), ("GET", "/api/events"), ("GET", "/api/admin/costs"), ("GET", "/api/admin/usage"), ("GET", "/api/admin/claude-code"), ("GET", "/api/reconcile"), ("GET", "/openapi.json"), ("GET", "/"), ("GET", "/index.html"),
    ];

    private static readonly string[] Names =
    [
        "start_date", "end_date", "timezone", "project", "models", "source", "execution_mode", "cost_mode", "group_by", "compare",
        "limit", "offset", "sort", "order", "active", "active_minutes", "changes", "what", "format", "breakdown", "tolerance",
    ];

    private static readonly string[] Hostile =
    [
        "' OR 1=1 --", "\"); DROP TABLE records; --", "1; DELETE FROM rollup", "../../../../etc/passwd", "..\\..\\windows",
        "%s%s%s%n", "{0}{1}", "${jndi:ldap://x}", "<script>alert(1)</script>", "NaN", "Infinity", "-0", "1e308",
        "99999999999999999999999999", "-2147483649", "0x7fffffff", "2026-13-45", "2026-02-29", "9999-12-31", "0001-01-01",
        "20261301", "2026-11-01T00:00:00Z", "UTC", "Z", "Etc/GMT+14", "America/Argentina/ComodRivadavia", "Europe/../../etc",
        "", " ", ",,,,", ",a,,b,", "true", "FALSE", "1", "0", "previous", "model,day", "🙂", "ا\u200f\u202e", "e\u0301\u0301\u0301",
        "\u0000", "\r\nX-Injected: 1", "\uFEFF", "all", "claude_code", "internal", "proxy", "cloud", "local", "records", "jsonl", "segment", "token-type", "api-key", "user", "100", "0.5",
    ];

    private static readonly string[] RawEncodings = ["%00", "%0a", "%0d", "%ff", "%c0%af", "%ed%a0%80", "%f4%90%80%80", "%e2%82", "%", "%zz", "%%", "%2", "+", "%2B", "%26", "%3D", "%23"];

    [Fact]
    public async Task A_thousand_hostile_query_strings_never_get_a_5xx()
    {
        await using var server = await ServerHarness.DemoAsync();
        using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(60) };
        var random = new Random(Seed);
        var failures = new List<string>();
        var histogram = new SortedDictionary<int, int>();
        for (var i = 0; i < Requests; i++)
        {
            var (method, path) = Endpoints[random.Next(Endpoints.Length)];
            var query = Query(random);
            var raw = i % 10 == 9;
            int status;
            string body;
            if (raw)
            {
                (status, body) = await RawAsync(server.Address, method, path, query, random);
            }
            else
            {
                (status, body) = await SendAsync(client, method, path, query);
            }

            histogram[status] = histogram.GetValueOrDefault(status) + 1;
            if (status >= 500)
            {
                failures.Add($"#{i} {method} {path}?{query} (raw: {raw}) -> {status}: {body}");
            }
        }

        var seen = string.Join(", ", histogram.Select(static h => $"{h.Key}: {h.Value}"));
        Assert.True(failures.Count == 0, $"seed {Seed} ({seen}):\n" + string.Join('\n', failures.Take(20)));

        // The generator must reach the endpoints' work, not only their parameter checks.
        Assert.True(histogram.GetValueOrDefault(200) >= 100 && histogram.GetValueOrDefault(400) >= 100, seen);
    }

    private static async Task<(int, string)> SendAsync(HttpClient client, string method, string path, string query)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path + (query.Length > 0 ? "?" + query : string.Empty));
        if (method == "POST")
        {
            request.Headers.Add("X-Tally-Request", "1");
        }

        // Headers only: the events stream never ends by itself.
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var status = (int)response.StatusCode;
        var body = status >= 500 ? await response.Content.ReadAsStringAsync() : string.Empty;
        return (status, body);
    }

    /// <summary>Writes the request line byte for byte (bytes HttpClient would escape or refuse) and reads the status.</summary>
    private static async Task<(int, string)> RawAsync(Uri address, string method, string path, string query, Random random)
    {
        var target = Encoding.UTF8.GetBytes(path + "?" + query);
        if (random.Next(3) == 0)
        {
            // A few raw non-ASCII bytes in the target.
            target = [.. target, .. new[] { (byte)random.Next(0x80, 0x100), (byte)'=', (byte)random.Next(0x80, 0x100) }];
        }

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        await using var stream = tcp.GetStream();
        var head = Encoding.ASCII.GetBytes($"{method} ");
        var tail = Encoding.ASCII.GetBytes($" HTTP/1.1\r\nHost: 127.0.0.1:{address.Port}\r\nX-Tally-Request: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(head);
        await stream.WriteAsync(target);
        await stream.WriteAsync(tail);
        using var reader = new StreamReader(stream, Encoding.Latin1);
        var line = await reader.ReadLineAsync() ?? string.Empty;
        var parts = line.Split(' ');
        var status = parts.Length > 1 && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var code) ? code : 0;
        return (status == 0 ? 599 : status, line);
    }

    private static string Query(Random random)
    {
        var parts = new List<string>();
        var count = random.Next(0, 8);
        for (var i = 0; i < count; i++)
        {
            var name = random.Next(10) switch
            {
                < 7 => Names[random.Next(Names.Length)],
                7 => Junk(random),
                8 => Hostile[random.Next(Hostile.Length)],
                _ => Names[random.Next(Names.Length)] + RawEncodings[random.Next(RawEncodings.Length)],
            };
            var value = Value(random);
            parts.Add(random.Next(20) == 0 ? Escape(name) : Escape(name) + "=" + value);
            if (random.Next(8) == 0)
            {
                parts.Add(Escape(name) + "=" + Value(random)); // the same key again
            }
        }

        if (random.Next(15) == 0)
        {
            parts.Add(string.Empty); // a stray '&'
        }

        return string.Join('&', parts);
    }

    private static string Value(Random random) => random.Next(12) switch
    {
        < 5 => Escape(Hostile[random.Next(Hostile.Length)]),
        5 => Escape(new string('9', random.Next(1, 40))),
        6 => Escape(string.Concat(Enumerable.Range(0, random.Next(1, 6)).Select(_ => Hostile[random.Next(Hostile.Length)] + ","))),
        7 => Escape(new string((char)random.Next(0x20, 0x7f), random.Next(100, 5000))),
        8 => RawEncodings[random.Next(RawEncodings.Length)] + Escape(Junk(random)),
        9 => Escape(Junk(random)),
        10 => Escape(random.Next(2) == 0 ? "2026-11-" + random.Next(-5, 40).ToString(System.Globalization.CultureInfo.InvariantCulture) : random.Next(int.MinValue, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        _ => string.Empty,
    };

    private static string Junk(Random random)
    {
        var length = random.Next(0, 30);
        var builder = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            builder.Append(random.Next(5) switch
            {
                0 => (char)random.Next(0x20, 0x7f),
                1 => (char)random.Next(0x00, 0x20),
                2 => (char)random.Next(0xa0, 0x3000),
                3 => char.ConvertFromUtf32(random.Next(0x1F300, 0x1FAFF))[0],
                _ => (char)random.Next(0x4e00, 0x9fff),
            });
        }

        return builder.ToString();
    }

    /// <summary>Percent-encodes as a browser would, except that lone surrogates become U+FFFD.</summary>
    private static string Escape(string text) => Uri.EscapeDataString(text.Length > 0 && char.IsSurrogate(text[^1]) ? text[..^1] + "\uFFFD" : text);
}
