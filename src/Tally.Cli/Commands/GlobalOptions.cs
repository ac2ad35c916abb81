using System.CommandLine;
using Tally.Cli.App;

namespace Tally.Cli.Commands;

/// <summary>The flags every command takes (declared once on the root, recursively).</summary>
internal sealed class GlobalOptions
{
    /// <summary><c>--claude-dir</c>.</summary>
    public readonly Option<string[]> ClaudeDir = new("--claude-dir")
    {
        Description = "Claude Code data folder holding projects/ (repeat or comma-separate; default: CLAUDE_CONFIG_DIR, ~/.config/claude and ~/.claude)",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary><c>--data-dir</c>.</summary>
    public readonly Option<string?> DataDir = new("--data-dir")
    {
        Description = "Where the index lives (default: TALLY_DATA_DIR, else $XDG_DATA_HOME/tally, else ~/.local/share/tally)",
        Recursive = true,
    };

    /// <summary><c>--config-dir</c>.</summary>
    public readonly Option<string?> ConfigDir = new("--config-dir")
    {
        Description = "Where config.json and prices.json live (default: TALLY_CONFIG_DIR, else $XDG_CONFIG_HOME/tally, else ~/.config/tally)",
        Recursive = true,
    };

    /// <summary><c>--demo</c>.</summary>
    public readonly Option<bool> Demo = new("--demo")
    {
        Description = "Use the built-in demo dataset (six weeks, five projects, agents with subagents) with its own index",
        Recursive = true,
    };

    /// <summary><c>--no-sync</c>.</summary>
    public readonly Option<bool> NoSync = new("--no-sync")
    {
        Description = "Report what the index holds without reading transcripts first",
        Recursive = true,
    };

    /// <summary><c>--offline</c>: accepted for ccusage compatibility; Tally never goes online for prices.</summary>
    public readonly Option<bool> Offline = new("--offline", "-O")
    {
        Description = "Accepted for ccusage compatibility: Tally always prices from its embedded catalog and your files",
        Recursive = true,
        Hidden = true,
    };

    /// <summary>Adds every global flag to the root command.</summary>
    public void AddTo(Command root)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (Option option in new Option[] { ClaudeDir, DataDir, ConfigDir, Demo, NoSync, Offline })
        {
            root.Options.Add(option);
        }
    }

    /// <summary>The global settings a parse produced.</summary>
    public GlobalSettings Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new GlobalSettings
        {
            ClaudeDirectories = Options.List(result.GetValue(ClaudeDir)),
            DataDirectory = result.GetValue(DataDir),
            ConfigDirectory = result.GetValue(ConfigDir),
            Demo = result.GetValue(Demo),
            NoSync = result.GetValue(NoSync),
        };
    }
}
