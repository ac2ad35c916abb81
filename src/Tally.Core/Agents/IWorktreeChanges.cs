namespace Tally.Core.Agents;

/// <summary>Reads a working directory's current uncommitted changes (git, in the real implementation).</summary>
public interface IWorktreeChanges
{
    /// <summary>
    /// The changes in <paramref name="directory"/>'s working tree, or null when they cannot be known: the directory is
    /// gone, is not in a git working tree, git is missing, or git did not answer in time. Never throws for those.
    /// </summary>
    Task<WorktreeChanges?> ReadAsync(string directory, CancellationToken cancellationToken);
}
