using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Tally.Server.Http;

namespace Tally.Server.Dashboard;

/// <summary>
/// The dashboard's files, embedded in the assembly (everything under <c>Dashboard/wwwroot</c>) and served by the same
/// host: no file on disk, nothing from another origin, so it works offline. Each file gets an ETag and is revalidated on
/// every load; HTML pages get a Content-Security-Policy that allows this origin only.
/// </summary>
internal sealed class StaticAssets
{
    /// <summary>The policy every page is served with: its own scripts, styles, images and API only.</summary>
    public const string ContentSecurityPolicy = "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private const string Prefix = "Tally.Server.wwwroot/";

    private static readonly FrozenDictionary<string, string> Types = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".mjs"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".woff2"] = "font/woff2",
        [".txt"] = "text/plain; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, Asset> _assets;

    /// <summary>Loads every embedded file.</summary>
    public StaticAssets()
    {
        var assembly = typeof(StaticAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(static n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var path = "/" + name[Prefix.Length..].Replace('\\', '/');
            var type = Types.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream");
            assets[path] = new Asset(bytes, type, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..32] + "\"");
        }

        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The paths served (<c>/index.html</c>, <c>/assets/…</c>).</summary>
    public IEnumerable<string> Paths => _assets.Keys;

    /// <summary>Serves the file at the request's path (<c>/</c> is <c>/index.html</c>), or a 404 problem.</summary>
    public async Task ServeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path.Value ?? "/";
        if (path == "/")
        {
            path = "/index.html";
        }

        if (!_assets.TryGetValue(path, out var asset))
        {
            await Problem.WriteAsync(context, StatusCodes.Status404NotFound, $"Nothing is at {Shown(path)}: see /openapi.json for the API.");
            return;
        }

        var response = context.Response;
        response.Headers.ETag = asset.ETag;
        response.Headers.CacheControl = "no-cache";
        if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        }

        if (context.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(asset.Bytes, context.RequestAborted);
        }
    }

    private static string Shown(string path) => path.Length > 80 ? path[..80] + "…" : path;

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}
