using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Tally.Server.Http;

namespace Tally.Server.Safety;

/// <summary>
/// The checks every request passes before any endpoint sees it, in order:
/// <list type="number">
/// <item>its <c>Host</c> header names this server (a DNS-rebinding page names its own domain): else 421;</item>
/// <item>with a token configured, <c>Authorization: Bearer &lt;token&gt;</c> (compared in constant time): else 401;</item>
/// <item>a state-changing method (anything but GET, HEAD, OPTIONS) is refused in read-only mode (403), and needs the
/// <c>X-Tally-Request: 1</c> header, which a cross-site form cannot send and a cross-site script cannot send without a
/// CORS preflight this server never approves, and no cross-site <c>Origin</c> or <c>Sec-Fetch-Site</c>: else 403.</item>
/// </list>
/// No CORS header is ever written, so browsers keep other origins from reading any answer. The metering proxy's paths
/// (<c>/v1/…</c>, <c>/agents/…</c>) keep the Host check and have their own rule instead of the token and cross-site
/// rules (<see cref="Tally.Proxy.ProxyRegistration.RefuseAsync"/>): their <c>Authorization</c> header belongs to the
/// upstream, and is passed on untouched.
/// </summary>
internal sealed class RequestGuard(ServerOptions options, BindAddress bind)
{
    /// <summary>The header state-changing requests must carry.</summary>
    public const string RequestHeader = "X-Tally-Request";

    private readonly HashSet<string> _hosts = new(bind.HostNames().Concat(options.AllowedHosts).Select(Normalize), StringComparer.OrdinalIgnoreCase);
    private readonly byte[]? _token = options.Token is { Length: > 0 } token ? SHA256.HashData(Encoding.UTF8.GetBytes(token)) : null;

    /// <summary>Runs the checks, then <paramref name="next"/>.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (options.Proxy && Tally.Proxy.ProxyRegistration.IsProxyPath(context.Request.Path))
        {
            // The metering proxy: the Host check, then its own rule (see ProxyRegistration.RefuseAsync); no header is
            // added to what the upstream answered.
            if (!HostAllowed(context.Request.Host))
            {
                await Problem.WriteAsync(context, StatusCodes.Status421MisdirectedRequest, "The Host header does not name this server.");
                return;
            }

            if (!await Tally.Proxy.ProxyRegistration.RefuseAsync(context, options.Token))
            {
                await next(context);
            }

            return;
        }

        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        var request = context.Request;
        if (!HostAllowed(request.Host))
        {
            await Problem.WriteAsync(context, StatusCodes.Status421MisdirectedRequest, "The Host header does not name this server. Use the address `tally serve` printed (or add the name to \"serve\": {\"allowedHosts\": […]} in config.json).");
            return;
        }

        if (_token is not null && !Authorized(request))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"tally\"";
            await Problem.WriteAsync(context, StatusCodes.Status401Unauthorized, "This server needs a token: send `Authorization: Bearer <token>` (the token `tally serve` was started with).");
            return;
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method))
        {
            if (options.ReadOnly)
            {
                await Problem.WriteAsync(context, StatusCodes.Status403Forbidden, "This server is read-only (started with --read-only): nothing can be changed through it.");
                return;
            }

            if (CrossSite(request) is { } reason)
            {
                await Problem.WriteAsync(context, StatusCodes.Status403Forbidden, reason);
                return;
            }
        }

        await next(context);
    }

    private bool HostAllowed(HostString host) =>
        host.HasValue && (bind.IsWildcard && options.AllowedHosts.Count == 0 || _hosts.Contains(Normalize(host.Host)));

    private bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, _token);
    }

    private static string? CrossSite(HttpRequest request)
    {
        if (request.Headers[RequestHeader].ToString() != "1")
        {
            return $"A state-changing request needs the header `{RequestHeader}: 1` (so that no other web page can make one).";
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return $"A state-changing request from another site ({site}) is refused.";
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Authority.Equals(request.Host.Value, StringComparison.OrdinalIgnoreCase)))
        {
            return "A state-changing request from another origin is refused.";
        }

        return null;
    }

    private static string Normalize(string host) => host.Trim().TrimStart('[').TrimEnd(']').TrimEnd('.');
}
