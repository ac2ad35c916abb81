namespace Tally.Proxy;

/// <summary>How the metering proxy forwards, meters and enforces budgets.</summary>
public sealed record ProxyOptions
{
    /// <summary>Anthropic's API, the default upstream.</summary>
    public static readonly Uri DefaultUpstream = new("https://api.anthropic.com/");

    /// <summary>Where requests are forwarded: Anthropic's API, or another gateway (e.g. a local better-ccflare).</summary>
    public Uri Upstream { get; init; } = DefaultUpstream;

    /// <summary>The secret salt of account fingerprints (at least 16 bytes; kept in the data folder, never logged).</summary>
    public required byte[] AccountSalt { get; init; }

    /// <summary>How long a request held by a <c>pause</c> budget waits for a resume or the window's reset before it is
    /// refused.</summary>
    public TimeSpan PauseWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a held request checks whether its budget was resumed.</summary>
    public TimeSpan PausePoll { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long budget figures are reused between requests (a check costs a few index queries).</summary>
    public TimeSpan BudgetCacheTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The API key a subscription request refused for quota is retried with once (opt-in); null for none.</summary>
    public string? FallbackApiKey { get; init; }

    /// <summary>How many metered calls may wait for the store before new ones are dropped (and counted).</summary>
    public int QueueCapacity { get; init; } = 10_000;

    /// <summary>The most records written in one store transaction.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>How long the writer lets metered calls gather after the first one arrives before it writes them in one
    /// transaction (group commit: one call at a time would otherwise cost a transaction each, on the cores the requests
    /// need). Zero writes at once.</summary>
    public TimeSpan BatchLinger { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The budgets enforced before forwarding; null for none.</summary>
    public ProxyBudgets? Budgets { get; init; }

    /// <summary>With a token (a server reachable from other machines), proxied requests must carry it in
    /// <c>x-tally-token</c> (Claude Code: <c>ANTHROPIC_CUSTOM_HEADERS</c>); null on loopback.</summary>
    public string? Token { get; init; }
}
