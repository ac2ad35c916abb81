namespace Tally.Server;

/// <summary>How <c>tally serve</c> listens and what it allows. Validate with <see cref="ServerOptions.Check"/> before starting.</summary>
public sealed record ServerOptions
{
    /// <summary>The port used when none is configured.</summary>
    public const int DefaultPort = 7420;

    /// <summary>The address to bind: an IP literal, <c>localhost</c>, or <c>0.0.0.0</c> / <c>::</c> for every interface.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port (0: any free port, for tests).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The bearer token every request must carry; null for none (allowed only on a loopback address).</summary>
    public string? Token { get; init; }

    /// <summary>Refuse every request that would change state (a rescan).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Host names (beyond the bound address, and the loopback names when bound to loopback) that requests may
    /// name in their <c>Host</c> header.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>True when the metering proxy is mapped (<see cref="ServerData.Proxy"/>): its paths get its own access rule.</summary>
    public bool Proxy { get; init; }

    /// <summary>How often the index is fully synced, whatever the file watcher saw (a safety net for lost events).</summary>
    public TimeSpan SafetySyncInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the index is probed for changes committed by anyone (the events endpoint's source).</summary>
    public TimeSpan ChangePollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often an idle events stream sends a comment to keep proxies and browsers from closing it.</summary>
    public TimeSpan EventKeepAlive { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>What is wrong with these options, each with its fix; empty when the server may start.</summary>
    public IReadOnlyList<string> Check()
    {
        var errors = new List<string>();
        if (Port is < 0 or > 65535)
        {
            errors.Add($"port {Port} is not between 1 and 65535.");
        }

        var address = BindAddress.Parse(Host);
        if (address is null)
        {
            errors.Add($"host \"{Host}\" is not an IP address, localhost, 0.0.0.0 or ::.");
        }
        else if (!address.IsLoopback && string.IsNullOrEmpty(Token))
        {
            errors.Add($"host {Host} is reachable from other machines, so a token is required: set TALLY_TOKEN, pass --token, or name a token file in config.json (\"serve\": {{\"tokenFile\": …}}). Without one, stay on 127.0.0.1.");
        }

        if (Token is { } token && (token.Length < 16 || token.Any(static c => c <= ' ' || c > '~')))
        {
            errors.Add("the token must be at least 16 printable ASCII characters without spaces (e.g. from `openssl rand -hex 24`).");
        }

        return errors;
    }
}
