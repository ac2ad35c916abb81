using System.CommandLine;
using Tally.Cli.Live;

namespace Tally.Cli.Commands;

/// <summary>The live monitor's flags, shared by <c>tally live</c> and <c>tally blocks --live</c>.</summary>
internal sealed class LiveFlags
{
    /// <summary><c>--plan</c>.</summary>
    public Option<string?> Plan { get; } = new("--plan") { Description = "The plan whose estimates apply (pro, max5, max20, team, custom, or one of your own in plans.json)" };

    /// <summary><c>--timezone</c> (blocks has its own).</summary>
    public Option<string?> Timezone { get; } = new("--timezone", "-z") { Description = "IANA time zone times are shown in (default: config, else the system's)" };

    /// <summary><c>--once</c>.</summary>
    public Option<bool> Once { get; } = new("--once") { Description = "Print one frame and exit (what happens anyway when the output is not a terminal)" };

    /// <summary><c>--refresh</c>.</summary>
    public Option<int?> Refresh { get; } = new("--refresh") { Description = "Seconds between redraws of the countdowns when nothing changes (default 5; a transcript growing redraws at once)" };

    private bool _timezone;

    /// <summary>Adds the flags to <paramref name="command"/>.</summary>
    public void AddTo(Command command, bool includeTimezone)
    {
        ArgumentNullException.ThrowIfNull(command);
        _timezone = includeTimezone;
        command.Options.Add(Plan);
        if (includeTimezone)
        {
            command.Options.Add(Timezone);
        }

        command.Options.Add(Once);
        command.Options.Add(Refresh);
    }

    /// <summary>The flags given; <paramref name="timezone"/> is the command's own zone flag's value when it has one.</summary>
    public LiveArguments Read(ParseResult result, string? timezone = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new LiveArguments
        {
            Plan = result.GetValue(Plan),
            TimeZone = _timezone ? result.GetValue(Timezone) : timezone,
            Once = result.GetValue(Once),
            RefreshSeconds = result.GetValue(Refresh),
        };
    }
}
