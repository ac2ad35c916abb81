using Tally.Core.Agents;
using Tally.Core.Storage;

namespace Tally.Core.Reports;

/// <summary>The agent cards <c>tally agents</c> prints, and what they were built from.</summary>
public sealed record AgentsReport
{
    /// <summary>The cards, active first, then newest first.</summary>
    public required IReadOnlyList<AgentCard> Cards { get; init; }

    /// <summary>The settings the cards were built with (auth mode, active window…).</summary>
    public required AgentSettings Settings { get; init; }

    /// <summary>The instant statuses are relative to.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>The first instant included, when bounded.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>The instant the range ends (exclusive), when bounded.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>The zone the day flags were read in.</summary>
    public required TimeZoneInfo Zone { get; init; }

    /// <summary>The cost mode of the figures.</summary>
    public required CostMode CostMode { get; init; }

    /// <summary>The price catalog version calculated costs come from.</summary>
    public required string CatalogVersion { get; init; }

    /// <summary>True when only active agents were asked for.</summary>
    public bool ActiveOnly { get; init; }

    /// <summary>The cards' figures summed (models: every model any card used).</summary>
    public AgentFigures Totals => Cards.Aggregate(AgentFigures.Empty, static (sum, card) => sum with
    {
        Messages = sum.Messages + card.Totals.Messages,
        Tokens = sum.Tokens + card.Totals.Tokens,
        WebSearchRequests = sum.WebSearchRequests + card.Totals.WebSearchRequests,
        CostUsd = sum.CostUsd + card.Totals.CostUsd,
        UnpricedCalls = sum.UnpricedCalls + card.Totals.UnpricedCalls,
        ReportedCostCalls = sum.ReportedCostCalls + card.Totals.ReportedCostCalls,
        FirstActivity = sum.FirstActivity is { } f && f <= card.Totals.FirstActivity ? f : card.Totals.FirstActivity,
        LastActivity = sum.LastActivity is { } l && l >= card.Totals.LastActivity ? l : card.Totals.LastActivity,
        Models = [.. sum.Models.Union(card.Totals.Models, StringComparer.Ordinal)],
    });
}
