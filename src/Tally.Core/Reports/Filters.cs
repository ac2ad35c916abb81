using Tally.Core.Storage;

namespace Tally.Core.Reports;

/// <summary>Turns what the user typed for <c>--project</c> and <c>--model</c> into the exact values the index holds.</summary>
public static class Filters
{
    /// <summary>Indexed model ids equal to a filter, or containing it (case-insensitive), so <c>--model opus</c> works.</summary>
    public static async Task<IReadOnlyList<string>> ModelsAsync(IUsageStore store, IReadOnlyList<string> filters, CancellationToken cancellationToken)
    {
        var models = await store.ModelsAsync(cancellationToken);
        return [.. models.Select(static m => m.Model).Where(m => filters.Any(f => m.Contains(f, StringComparison.OrdinalIgnoreCase)))];
    }

    /// <summary>Indexed projects whose path, last folder name or alias equals a filter (case-insensitive).</summary>
    public static async Task<IReadOnlyList<string>> ProjectsAsync(IUsageStore store, IReadOnlyList<string> filters, IReadOnlyDictionary<string, string> aliases, CancellationToken cancellationToken)
    {
        var rows = await store.AggregateAsync(new UsageQuery { GroupBy = GroupBy.Project }, cancellationToken);
        return [.. rows.Select(static r => r.Project).OfType<string>().Where(p => filters.Any(f => Matches(p, f, aliases)))];
    }

    private static bool Matches(string project, string filter, IReadOnlyDictionary<string, string> aliases) =>
        string.Equals(project.TrimEnd('/'), filter.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
        || string.Equals(ProjectNames.LastFolder(project), filter, StringComparison.OrdinalIgnoreCase)
        || string.Equals(ProjectNames.Display(project, aliases), filter, StringComparison.OrdinalIgnoreCase);
}
