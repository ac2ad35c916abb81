using Tally.Core.Storage;

namespace Tally.Core.Budgets;

/// <summary>What budgets are evaluated with besides the index and the clock.</summary>
public sealed record BudgetSettings
{
    /// <summary>The time zone days and months are cut in.</summary>
    public required TimeZoneInfo Zone { get; init; }

    /// <summary>Which cost figure dollar budgets sum.</summary>
    public CostMode CostMode { get; init; } = CostMode.Auto;

    /// <summary>Project aliases (by path or last folder name), so a project budget can name a project by its alias.</summary>
    public IReadOnlyDictionary<string, string> ProjectAliases { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The plan's utilisation for percent budgets; null until the limits code supplies one.</summary>
    public IPlanUtilisationSource? Plan { get; init; }

    /// <summary>A budget for each session looks at sessions active within this span (older sessions cannot cross a
    /// threshold any more).</summary>
    public TimeSpan ActiveSessionSpan { get; init; } = TimeSpan.FromHours(24);
}
