using Tally.Core.Reports;

namespace Tally.Cli.Commands;

/// <summary><c>tally projects</c>: usage and cost per project (worktrees collapsed into their repository, aliases applied).</summary>
internal sealed class ProjectsCommand(TallyContext context)
    : ReportCommand("projects", "Usage and cost per project (worktrees collapse into their repository)", ReportKind.Projects, context);
