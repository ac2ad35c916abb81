namespace Tally.Core.Billing;

/// <summary>What a billed view shows: a range of UTC days (the Admin API's days), how its rows are grouped, and which
/// workspaces are Claude Code's.</summary>
public sealed record BilledViewRequest
{
    /// <summary>How many days a view shows when no start day is given.</summary>
    public const int DefaultDays = 30;

    /// <summary>The first UTC day.</summary>
    public required DateOnly From { get; init; }

    /// <summary>The day after the last (exclusive).</summary>
    public required DateOnly Until { get; init; }

    /// <summary>The grouping: one of the view's dimensions (its first when not given).</summary>
    public required string By { get; init; }

    /// <summary>Workspaces (ids or names) counted as Claude Code beside the one named "Claude Code" (<c>admin.claudeCodeWorkspaces</c>).</summary>
    public IReadOnlyCollection<string>? ClaudeCodeWorkspaces { get; init; }

    /// <summary>The days [from, until) for a first and a last day either of which may be missing: the last defaults to
    /// <paramref name="today"/> (UTC), the first to <see cref="DefaultDays"/> days ending on the last.</summary>
    public static (DateOnly From, DateOnly Until) Window(DateOnly? first, DateOnly? last, DateOnly today)
    {
        var until = last ?? today;
        var since = first ?? until.AddDays(-(DefaultDays - 1));
        return (since, until.AddDays(1));
    }

    /// <summary>The first and last day as the documents write them (<c>yyyy-MM-dd</c>).</summary>
    internal (string First, string Last) Shown() => (Day(From), Day(Until.AddDays(-1)));

    /// <summary>A day as the documents write it.</summary>
    internal static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Midnight UTC at the start of <paramref name="day"/>.</summary>
    internal static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
