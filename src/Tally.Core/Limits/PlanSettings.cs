namespace Tally.Core.Limits;

/// <summary>The plan file: the plans Tally knows, which one is the user's, and the user's weekly reset.</summary>
public sealed record PlanSettings
{
    /// <summary>The user's plan (a key of <see cref="Plans"/>); <c>custom</c> (learned) when not set.</summary>
    public string Selected { get; init; } = "custom";

    /// <summary>The user's weekly reset (e.g. <c>mon 09:00</c>, optionally followed by an IANA zone), when set.</summary>
    public string? WeeklyReset { get; init; }

    /// <summary>The plans, by key.</summary>
    public IReadOnlyDictionary<string, Plan> Plans { get; init; } = new Dictionary<string, Plan>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The plan named <paramref name="name"/> (or the selected one), or null when there is none by that name.</summary>
    public Plan? Find(string? name = null) => Plans.GetValueOrDefault(name ?? Selected);
}
