using Tally.Cli.App;

namespace Tally.Cli.Commands;

/// <summary>What every command is built with: the outside world and the shared flags.</summary>
/// <param name="Environment">Streams, variables, clock and time zone.</param>
/// <param name="Global">The flags every command takes.</param>
internal sealed record TallyContext(TallyEnvironment Environment, GlobalOptions Global);
