using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Tally.Server;

/// <summary>The host both servers (<c>tally serve</c>, <c>tally proxy</c>) start from.</summary>
internal static class ServerHost
{
    /// <summary>
    /// A slim web host that reads no configuration file and logs nowhere until told. It does not watch its content
    /// root either: by default the host registers <c>appsettings.json</c> for reload, which keeps a recursive watch on
    /// the content root (one inotify watch per directory under it) for as long as the server runs. Tally reads no such
    /// file, and the content root is the executable's folder, which may be a home directory.
    /// </summary>
    /// <param name="applicationName">The host's application name.</param>
    /// <param name="contentRoot">The content root (tests only; the executable's folder otherwise).</param>
    public static WebApplicationBuilder CreateBuilder(string applicationName, string? contentRoot = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ApplicationName = applicationName,
            ContentRootPath = contentRoot ?? AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.Sources.Clear(); // no appsettings.json or ASPNETCORE_* variable changes what Tally binds or logs
        builder.Logging.ClearProviders();
        return builder;
    }
}
