namespace Tally.Core.Agents;

/// <summary>A working tree's uncommitted changes against its HEAD, in lines (binary files count as files only).</summary>
/// <param name="Added">Lines added.</param>
/// <param name="Removed">Lines removed.</param>
/// <param name="Files">Files changed.</param>
public readonly record struct WorktreeChanges(long Added, long Removed, int Files);
