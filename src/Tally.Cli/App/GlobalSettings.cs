namespace Tally.Cli.App;

/// <summary>The flags every command shares.</summary>
internal sealed record GlobalSettings
{
    /// <summary>Claude Code data folders given by <c>--claude-dir</c> (each holding <c>projects/</c>); null for the defaults.</summary>
    public IReadOnlyList<string>? ClaudeDirectories { get; init; }

    /// <summary><c>--data-dir</c>.</summary>
    public string? DataDirectory { get; init; }

    /// <summary><c>--config-dir</c>.</summary>
    public string? ConfigDirectory { get; init; }

    /// <summary><c>--demo</c>: use the built-in demo dataset and its own index.</summary>
    public bool Demo { get; init; }

    /// <summary><c>--no-sync</c>: report what the index holds without reading transcripts first.</summary>
    public bool NoSync { get; init; }

    /// <summary>False to walk every transcript even when a running watcher (<c>tally serve</c>) could vouch for the
    /// index (what <c>tally sync</c> does: it says what it read).</summary>
    public bool AskWatcher { get; init; } = true;
}
