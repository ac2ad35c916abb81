using System.Net;
using System.Net.Sockets;
using System.Text;
using Tally.Server.Tests.Harness;

namespace Tally.Server.Tests.Safety;

/// <summary>Loopback by default, tokens, read-only mode, cross-site and DNS-rebinding defences, no CORS.</summary>
public class SafetyTests
{
    private const string Token = "0123456789abcdef0123456789abcdef";

    [Fact]
    public void The_default_binds_loopback_on_the_documented_port()
    {
        var options = new ServerOptions();

        Assert.Equal(("127.0.0.1", 7420), (options.Host, options.Port));
        Assert.Empty(options.Check());
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("192.168.1.20")]
    [InlineData("*")]
    public async Task Another_address_refuses_to_start_without_a_token(string host)
    {
        var errors = new ServerOptions { Host = host }.Check();
        Assert.Contains(errors, static e => e.Contains("token is required", StringComparison.Ordinal));
        using var temp = new TempDirectory();
        await using var store = Tally.Storage.Sqlite.SqliteUsageStore.Open(Path.Combine(temp.Path, "index.db"));
        var data = new ServerData { Store = store, Catalog = Tally.Core.Pricing.PriceCatalog.Embedded, Zone = TimeZoneInfo.Utc };
        Assert.Throws<ArgumentException>(() => TallyServer.Create(new ServerOptions { Host = host, Port = 0 }, data));

        Assert.Empty(new ServerOptions { Host = host, Token = Token }.Check());
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.2")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    public void Loopback_addresses_need_no_token(string host) => Assert.Empty(new ServerOptions { Host = host }.Check());

    [Theory]
    [InlineData("example.com")]
    [InlineData("")]
    [InlineData("1.2.3.4.5")]
    public void A_host_that_is_not_an_address_is_refused(string host) =>
        Assert.Contains(new ServerOptions { Host = host }.Check(), static e => e.Contains("is not an IP address", StringComparison.Ordinal));

    [Theory]
    [InlineData("short")]
    [InlineData("has a space in it, sixteen+")]
    public void A_weak_or_odd_token_is_refused(string token) =>
        Assert.Contains(new ServerOptions { Token = token }.Check(), static e => e.Contains("at least 16", StringComparison.Ordinal));

    [Fact]
    public async Task With_a_token_every_request_needs_it()
    {
        await using var server = await ServerHarness.SampleAsync(static o => o with { Token = Token });
        using var anonymous = server.ClientWithToken(null);
        using var wrong = server.ClientWithToken(Token[..^1] + "0");
        foreach (var path in new[] { "/api/costs", "/openapi.json", "/", "/api/events", "/no-such-page" })
        {
            using var refused = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
            using var wrongToken = await wrong.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        }

        using var post = await anonymous.SendAsync(Rescan());
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        using var ok = await server.Client.GetAsync("/api/costs");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Read_only_refuses_a_rescan_with_a_403_problem()
    {
        await using var server = await ServerHarness.SampleAsync(static o => o with { ReadOnly = true });

        using var response = await server.Client.SendAsync(Rescan());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("read-only", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var read = await server.Client.GetAsync("/api/costs");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task A_rescan_needs_the_custom_header_and_no_cross_site_origin()
    {
        await using var server = await ServerHarness.SampleAsync();

        using var bare = await server.Client.SendAsync(Rescan(header: false));
        Assert.Equal(HttpStatusCode.Forbidden, bare.StatusCode);
        Assert.Contains("X-Tally-Request", await bare.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var crossOrigin = Rescan();
        crossOrigin.Headers.Add("Origin", "http://evil.example");
        using var fromOrigin = await server.Client.SendAsync(crossOrigin);
        Assert.Equal(HttpStatusCode.Forbidden, fromOrigin.StatusCode);

        var crossSite = Rescan();
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var fromSite = await server.Client.SendAsync(crossSite);
        Assert.Equal(HttpStatusCode.Forbidden, fromSite.StatusCode);

        var form = new HttpRequestMessage(HttpMethod.Post, "/api/costs/rescan") { Content = new FormUrlEncodedContent([new("x", "1")]) };
        using var fromForm = await server.Client.SendAsync(form);
        Assert.Equal(HttpStatusCode.Forbidden, fromForm.StatusCode);

        var sameOrigin = Rescan();
        sameOrigin.Headers.Add("Origin", server.Address.GetLeftPart(UriPartial.Authority));
        sameOrigin.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var ok = await server.Client.SendAsync(sameOrigin);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var plain = await server.Client.SendAsync(Rescan());
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
    }

    [Theory]
    [InlineData("evil.example", HttpStatusCode.MisdirectedRequest)]
    [InlineData("evil.example:{port}", HttpStatusCode.MisdirectedRequest)]
    [InlineData("127.0.0.1.evil.example:{port}", HttpStatusCode.MisdirectedRequest)]
    [InlineData("localhost:{port}", HttpStatusCode.OK)]
    [InlineData("LOCALHOST", HttpStatusCode.OK)]
    [InlineData("127.0.0.1:{port}", HttpStatusCode.OK)]
    [InlineData("[::1]:{port}", HttpStatusCode.OK)]
    public async Task Only_requests_that_name_this_server_in_their_host_header_are_answered(string host, HttpStatusCode expected)
    {
        await using var server = await ServerHarness.SampleAsync();

        var status = await RawStatusAsync(server.Address, "GET /api/costs HTTP/1.1\r\nHost: " + host.Replace("{port}", server.Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) + "\r\nConnection: close\r\n\r\n");

        Assert.Equal((int)expected, status);
    }

    [Fact]
    public async Task Configured_names_are_allowed_beside_the_bound_address()
    {
        await using var server = await ServerHarness.SampleAsync(static o => o with { AllowedHosts = ["tally.lan"] });

        Assert.Equal(200, await RawStatusAsync(server.Address, "GET /api/costs HTTP/1.1\r\nHost: tally.lan\r\nConnection: close\r\n\r\n"));
        Assert.Equal(421, await RawStatusAsync(server.Address, "GET /api/costs HTTP/1.1\r\nHost: other.lan\r\nConnection: close\r\n\r\n"));
    }

    [Fact]
    public async Task No_cross_origin_access_is_granted()
    {
        await using var server = await ServerHarness.SampleAsync();

        var get = new HttpRequestMessage(HttpMethod.Get, "/api/costs");
        get.Headers.Add("Origin", "http://evil.example");
        using var answer = await server.Client.SendAsync(get);
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/costs/rescan");
        preflight.Headers.Add("Origin", "http://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-tally-request");
        using var preflightAnswer = await server.Client.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        foreach (var response in new[] { answer, preflightAnswer })
        {
            Assert.DoesNotContain(response.Headers, static h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        }

        Assert.NotEqual(HttpStatusCode.OK, preflightAnswer.StatusCode);
        Assert.Equal("nosniff", answer.Headers.GetValues("X-Content-Type-Options").Single());
    }

    private static HttpRequestMessage Rescan(bool header = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/costs/rescan");
        if (header)
        {
            request.Headers.Add("X-Tally-Request", "1");
        }

        return request;
    }

    /// <summary>Sends a hand-written request (HttpClient always writes the Host it connects to) and reads the status.</summary>
    internal static async Task<int> RawStatusAsync(Uri address, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var status = await reader.ReadLineAsync() ?? string.Empty;
        return int.Parse(status.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
