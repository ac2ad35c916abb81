using Tally.Core.Reports;
using Tally.Core.Storage;

namespace Tally.Server.Api;

/// <summary>Folds aggregate rows into report lines by a key (for groupings the report builder has no kind for).</summary>
internal static class Grouping
{
    /// <summary>One line per key, each with its per-model totals (most expensive first).</summary>
    public static List<(string Key, AggregateRow First, ReportLine Line)> Fold(IEnumerable<AggregateRow> rows, Func<AggregateRow, string> keyOf)
    {
        var groups = new Dictionary<string, (AggregateRow First, Dictionary<string, UsageTotals> Models)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var key = keyOf(row);
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = (row, new Dictionary<string, UsageTotals>(StringComparer.Ordinal));
            }

            var model = row.Model ?? string.Empty;
            group.Models[model] = group.Models.GetValueOrDefault(model, UsageTotals.Empty).Add(row);
        }

        return [.. groups.Select(static g =>
        {
            var models = g.Value.Models.Select(static m => new ModelLine(m.Key, m.Value))
                .OrderByDescending(static m => m.Totals.CostUsd).ThenBy(static m => m.Model, StringComparer.Ordinal).ToList();
            var line = new ReportLine { Key = g.Key, Totals = models.Aggregate(UsageTotals.Empty, static (sum, m) => sum.Add(m.Totals)), Models = models };
            return (g.Key, g.Value.First, line);
        })];
    }
}
