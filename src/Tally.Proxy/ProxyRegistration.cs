using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tally.Core.Pricing;
using Tally.Core.Storage;
using Yarp.ReverseProxy.Forwarder;

namespace Tally.Proxy;

/// <summary>Adds the metering proxy to a web host: its services, and its routes <c>/v1/{**rest}</c>,
/// <c>/agents/{name}/v1/{**rest}</c> and Claude Code's warm-up <c>/api/hello</c> (also under <c>/agents/{name}</c>).</summary>
public static class ProxyRegistration
{
    /// <summary>Claude Code's connection warm-up (<c>HEAD /api/hello</c> under its <c>ANTHROPIC_BASE_URL</c>), forwarded
    /// to the upstream like the API's own paths (docs/adr/0010-metering-proxy.md).</summary>
    public const string HelloPath = "/api/hello";

    /// <summary>True for a path the proxy serves, <c>/v1/…</c>, <c>/api/hello</c>, or either under
    /// <c>/agents/&lt;name&gt;</c> (the request guard applies the proxy's rules to exactly these; anything else under
    /// <c>/agents</c> or <c>/api</c> is not the proxy's).</summary>
    public static bool IsProxyPath(PathString path)
    {
        if (Forwarded(path))
        {
            return true;
        }

        if (!path.StartsWithSegments("/agents", StringComparison.Ordinal, out var rest) || rest.Value is not { Length: > 1 } tail)
        {
            return false;
        }

        var slash = tail.IndexOf('/', 1);
        return slash > 1 && Forwarded(new PathString(tail[slash..]));
    }

    private static bool Forwarded(PathString path) =>
        path.StartsWithSegments("/v1", StringComparison.Ordinal) || path.Equals(HelloPath, StringComparison.Ordinal);

    /// <summary>Registers the forwarder, the store writer and the proxy.</summary>
    public static void AddTallyProxy(this IServiceCollection services, ProxyOptions options, IUsageStore store, PriceCatalog catalog, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddHttpForwarder();
        services.AddSingleton(options);
        services.AddSingleton<ProxyStats>();
        services.AddSingleton(sp => new MeterWriter(store, options, sp.GetRequiredService<ProxyStats>(), sp.GetRequiredService<ILogger<MeterWriter>>()));
        services.AddHostedService(static sp => sp.GetRequiredService<MeterWriter>());
        if (options.Budgets is { } budgets)
        {
            services.AddSingleton(sp => new BudgetGate(budgets, store, clock, options, sp.GetRequiredService<ProxyStats>(), sp.GetRequiredService<ILogger<BudgetGate>>()));
        }

        services.AddSingleton(sp => new MeteringProxy(
            sp.GetRequiredService<IHttpForwarder>(),
            MeteringProxy.CreateClient(),
            options,
            catalog,
            sp.GetRequiredService<MeterWriter>(),
            sp.GetRequiredService<ProxyStats>(),
            sp.GetService<BudgetGate>(),
            clock,
            sp.GetRequiredService<ILogger<MeteringProxy>>()));
    }

    /// <summary>Maps the proxy's routes (every method).</summary>
    public static void MapTallyProxy(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var proxy = endpoints.ServiceProvider.GetRequiredService<MeteringProxy>();
        endpoints.Map("/v1/{**rest}", proxy.ForwardAsync);
        endpoints.Map("/agents/{name}/v1/{**rest}", proxy.ForwardAgentAsync);
        endpoints.MapMethods(HelloPath, [HttpMethods.Head, HttpMethods.Get], proxy.ForwardAsync);
        endpoints.MapMethods("/agents/{name}" + HelloPath, [HttpMethods.Head, HttpMethods.Get], proxy.ForwardAgentAsync);
    }

    /// <summary>
    /// The proxy's own access rule, after the Host check: Claude Code sends its own credentials for the upstream in
    /// <c>Authorization</c>/<c>x-api-key</c>, so Tally's bearer token cannot be asked of it there. With a token
    /// configured (a server reachable from other machines) it must come in <c>x-tally-token</c>; and a browser request
    /// from another site is refused (no web page may spend through the proxy). Returns the refusal, or null.
    /// </summary>
    public static async Task<bool> RefuseAsync(HttpContext context, string? token)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (token is { Length: > 0 } && !TokenMatches(request.Headers[CallIdentity.TokenHeader].ToString(), token))
        {
            await AnthropicError.WriteAsync(context, StatusCodes.Status401Unauthorized, "authentication_error", "Tally's proxy needs its token in the x-tally-token header (Claude Code: ANTHROPIC_CUSTOM_HEADERS=\"x-tally-token: <token>\").");
            return true;
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (request.Headers.Origin.Count > 0 || site.Length > 0 && site is not ("same-origin" or "none"))
        {
            await AnthropicError.WriteAsync(context, StatusCodes.Status403Forbidden, "permission_error", "Tally's proxy does not accept requests from web pages.");
            return true;
        }

        return false;
    }

    private static bool TokenMatches(string given, string token) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(given.Trim())),
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
}
