using System.CommandLine;
using Tally.Cli.Live;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally live</c>: a full-screen monitor of the 5-hour and weekly windows, burn rate, projection, time to the limit,
/// the agents and the latest alerts, updated as soon as a transcript grows; one plain frame when not on a terminal.
/// </summary>
internal sealed class LiveCommand : Command
{
    private readonly TallyContext _context;
    private readonly LiveFlags _flags = new();

    /// <summary>Creates the verb.</summary>
    public LiveCommand(TallyContext context)
        : base("live", "A full-screen monitor: windows, burn rate, time to the limit, agents and alerts, updated as transcripts grow (Ctrl-C exits)")
    {
        _context = context;
        _flags.AddTo(this, includeTimezone: true);
        SetAction((result, cancellationToken) => LiveRunner.RunAsync(_context.Environment, _context.Global.Read(result), _flags.Read(result), cancellationToken));
    }
}
