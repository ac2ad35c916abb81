using System.CommandLine;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Tally.Cli.App;
using Tally.Server;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally proxy</c>: the metering proxy alone on 127.0.0.1:7421 (no API, dashboard or sync): point
/// <c>ANTHROPIC_BASE_URL</c> at it, or at <c>…/agents/&lt;name&gt;</c> per agent. Runs until Ctrl+C.
/// </summary>
internal sealed class ProxyCommand : Command
{
    private readonly Option<int?> _port = new("--port") { Description = $"Port to listen on (default: proxy.port in config.json, else {ProxySetup.DefaultPort})" };
    private readonly Option<string?> _host = new("--host") { Description = "Address to bind (default: serve.host, else 127.0.0.1). Any other than loopback needs a token" };
    private readonly Option<string?> _token = new("--token") { Description = $"Token proxied requests must carry in x-tally-token (prefer {ServeCommand.TokenVariable} or serve.tokenFile)" };
    private readonly Option<string?> _upstream = new("--upstream") { Description = "Where requests go (default: proxy.upstream in config.json, else https://api.anthropic.com)" };
    private readonly TallyContext _context;

    /// <summary>Creates the verb.</summary>
    public ProxyCommand(TallyContext context)
        : base("proxy", $"Run only the metering proxy on 127.0.0.1:{ProxySetup.DefaultPort}: per-agent usage, live plan usage and budgets for Claude Code and API clients")
    {
        _context = context;
        foreach (Option option in new Option[] { _port, _host, _token, _upstream })
        {
            Options.Add(option);
        }

        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var environment = _context.Environment;
        var global = _context.Global.Read(result) with { NoSync = true };
        await using var run = await TallyRun.OpenAsync(global, environment, cancellationToken);
        var errors = new List<string>();
        var serve = run.Config.Serve;
        var options = new ServerOptions
        {
            Host = result.GetValue(_host) ?? serve.Host ?? "127.0.0.1",
            Port = result.GetValue(_port) ?? run.Config.Proxy.Port ?? ProxySetup.DefaultPort,
            Token = ServeCommand.Token(result.GetValue(_token), serve, run, errors),
            AllowedHosts = serve.AllowedHosts,
        };
        errors.AddRange(options.Check());
        var upstream = result.GetValue(_upstream);
        if (upstream is not null && !(Uri.TryCreate(upstream, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.Query)))
        {
            errors.Add($"--upstream \"{upstream}\" is not an http(s) URL without a query.");
        }

        var proxy = ProxySetup.Options(run, options.Token, errors);
        if (errors.Count > 0 || proxy is null)
        {
            foreach (var error in errors)
            {
                environment.Error.MarkupLineInterpolated($"[red]error:[/] {error}");
            }

            return ExitCodes.Usage;
        }

        if (upstream is not null)
        {
            proxy = proxy with { Upstream = new Uri(upstream.EndsWith('/') ? upstream : upstream + "/") };
        }

        var data = new ServerData
        {
            Store = run.Store,
            Catalog = run.Catalog,
            Zone = run.Config.TimeZone is { } id ? App.Options.FindZone(id) ?? environment.LocalZone : environment.LocalZone,
            Clock = environment.Clock,
            Proxy = proxy,
        };
        await using var server = ProxyServer.Create(options, data, logging => logging.AddProvider(new ConsoleLog(environment.Error, environment.Clock)));
        try
        {
            await server.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            environment.Error.MarkupLineInterpolated($"[red]error:[/] cannot listen on {options.Host}:{options.Port} ({ex.Message}). `--port` picks another port.");
            return ExitCodes.Failed;
        }

        foreach (var address in server.Addresses)
        {
            environment.Console.MarkupLineInterpolated($"Tally's metering proxy forwards [bold]{address}[/] to {proxy.Upstream}: ANTHROPIC_BASE_URL={address.AbsoluteUri.TrimEnd('/')} (or …/agents/<name> per agent).");
        }

        environment.Console.MarkupLineInterpolated($"Index: {run.Paths.IndexFile}. Press Ctrl+C to stop.");
        await server.RunUntilCancelledAsync(cancellationToken);
        return ExitCodes.Ok;
    }
}
