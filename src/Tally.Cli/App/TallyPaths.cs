namespace Tally.Cli.App;

/// <summary>
/// Where Tally keeps its index and reads its configuration, following the XDG base directories: data in
/// <c>$TALLY_DATA_DIR</c>, else <c>$XDG_DATA_HOME/tally</c>, else <c>~/.local/share/tally</c>; configuration in
/// <c>$TALLY_CONFIG_DIR</c>, else <c>$XDG_CONFIG_HOME/tally</c>, else <c>~/.config/tally</c>. Flags win over both.
/// </summary>
/// <param name="DataDirectory">The folder holding the index.</param>
/// <param name="ConfigDirectory">The folder holding <c>config.json</c>, <c>prices.json</c> and <c>budgets.json</c>.</param>
internal sealed record TallyPaths(string DataDirectory, string ConfigDirectory)
{
    /// <summary>The index file.</summary>
    public string IndexFile => Path.Combine(DataDirectory, "index.db");

    /// <summary>The configuration file.</summary>
    public string ConfigFile => Path.Combine(ConfigDirectory, "config.json");

    /// <summary>The budgets (written by <c>tally budget set</c>, editable by hand).</summary>
    public string BudgetsFile => Path.Combine(ConfigDirectory, "budgets.json");

    /// <summary>The user's price overrides and additions (Tally's catalog format).</summary>
    public string PricesFile => Path.Combine(ConfigDirectory, "prices.json");

    /// <summary>The plan definitions (estimates the user can edit), written with the defaults on first use.</summary>
    public string PlansFile => Path.Combine(ConfigDirectory, "plans.json");

    /// <summary>The folder holding imported LiteLLM price files, one per import day.</summary>
    public string LiteLlmDirectory => Path.Combine(ConfigDirectory, "litellm");

    /// <summary>Resolves the paths from flags (when given) and the environment.</summary>
    public static TallyPaths Resolve(string? dataFlag, string? configFlag, Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var home = Home(variable);
        var data = First(dataFlag, variable("TALLY_DATA_DIR"))
            ?? Path.Combine(First(variable("XDG_DATA_HOME")) ?? Path.Combine(home, ".local", "share"), "tally");
        var config = First(configFlag, variable("TALLY_CONFIG_DIR"))
            ?? Path.Combine(First(variable("XDG_CONFIG_HOME")) ?? Path.Combine(home, ".config"), "tally");
        return new TallyPaths(Path.GetFullPath(ExpandHome(data, home)), Path.GetFullPath(ExpandHome(config, home)));
    }

    /// <summary>The user's home folder.</summary>
    public static string Home(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        return First(variable("HOME")) ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
    }

    /// <summary><c>~</c> and <c>~/…</c> in a path the user typed, expanded.</summary>
    public static string ExpandHome(string path, string home)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path == "~" || path.StartsWith("~/", StringComparison.Ordinal) ? home + path[1..] : path;
    }

    private static string? First(params string?[] values) => values.FirstOrDefault(static v => !string.IsNullOrWhiteSpace(v));
}
