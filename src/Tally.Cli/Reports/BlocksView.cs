using Tally.Core.Limits;
using Tally.Core.Reports;

namespace Tally.Cli.Reports;

/// <summary>What <c>tally blocks</c> shows: the blocks, the weeks beside them, and how they were asked for.</summary>
internal sealed record BlocksView
{
    /// <summary>The filters, zone and cost mode.</summary>
    public required ReportRequest Request { get; init; }

    /// <summary>The blocks, in the order asked for.</summary>
    public required IReadOnlyList<UsageBlock> Blocks { get; init; }

    /// <summary>The block length.</summary>
    public TimeSpan Length { get; init; } = UsageWindows.FiveHours;

    /// <summary>The token limit a block is measured against (<c>--token-limit</c>), when any.</summary>
    public long? TokenLimit { get; init; }

    /// <summary>What <c>--token-limit</c> said (<c>max</c> or a number).</summary>
    public string? TokenLimitText { get; init; }

    /// <summary>The weekly windows over the same stretch, when their reset is known (from a signal or plans.json).</summary>
    public IReadOnlyList<UsageWindow> Weeks { get; init; } = [];

    /// <summary>Model families with weekly windows of their own (from the plan and signals).</summary>
    public IReadOnlyList<string> ModelFamilies { get; init; } = [];

    /// <summary>Only the active block was asked for.</summary>
    public bool ActiveOnly { get; init; }

    /// <summary>The instant the view is for.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>The price catalog's version.</summary>
    public required string CatalogVersion { get; init; }

    /// <summary>Transcript lines that could not be counted.</summary>
    public long Problems { get; init; }

    /// <summary>ccusage's status of a projected total against the token limit: <c>ok</c>, <c>warning</c> (over 80%) or <c>exceeds</c>.</summary>
    public static string LimitStatus(long projected, long limit) =>
        projected > limit ? "exceeds" : projected > limit * 0.8 ? "warning" : "ok";
}
