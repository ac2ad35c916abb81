using System.CommandLine;

namespace Tally.Cli.Commands;

/// <summary><c>tally admin</c>: what Anthropic billed the organization, from the Admin API.</summary>
internal sealed class AdminCommand : Command
{
    /// <summary>Creates the verb and its subcommands.</summary>
    public AdminCommand(TallyContext context)
        : base("admin", "What Anthropic billed your organization, from the Admin API (needs an admin key)")
    {
        Subcommands.Add(new AdminSyncCommand(context));
        Subcommands.Add(AdminViewCommand.Costs(context));
        Subcommands.Add(AdminViewCommand.Usage(context));
        Subcommands.Add(AdminViewCommand.ClaudeCode(context));
    }
}
