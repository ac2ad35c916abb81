using System.Globalization;
using Tally.Core.Pricing;
using Tally.Core.Storage;

namespace Tally.Core.Reports;

/// <summary>
/// Builds a report from the index: one aggregate query summed in the store, then folded in memory into the report's
/// rows (quarter-hour buckets fold exactly into the days of any time zone, whatever its offset).
/// </summary>
public static class ReportBuilder
{
    /// <summary>The key of the session row that gathers records without a session id.</summary>
    public const string NoSession = "(no session)";
    private const string NoProject = "(unknown project)";

    /// <summary>Runs <paramref name="request"/> against <paramref name="store"/>.</summary>
    public static async Task<Report> BuildAsync(IUsageStore store, PriceCatalog catalog, ReportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(request);
        var filter = new UsageQuery
        {
            From = request.From,
            Until = request.To,
            SessionId = request.SessionId,
            CostMode = request.CostMode,
            Models = request.Models is null ? null : await Filters.ModelsAsync(store, request.Models, cancellationToken),
            Projects = request.Projects is null ? null : await Filters.ProjectsAsync(store, request.Projects, request.ProjectAliases, cancellationToken),
        };

        return await BuildAsync(store, catalog, request, filter, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="request"/> with filters already resolved to what the index holds: <paramref name="filter"/>'s
    /// range, models, projects, sources, execution mode, session and cost mode apply as they are (the request's own
    /// filters are not read again); the grouping comes from the request's kind.
    /// </summary>
    public static async Task<Report> BuildAsync(IUsageStore store, PriceCatalog catalog, ReportRequest request, UsageQuery filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(filter);
        var query = filter with { GroupBy = GroupFor(request.Kind) };
        if (query.GroupBy.HasFlag(GroupBy.QuarterHour))
        {
            var (quarters, shift) = TimeGroups.For(request.Zone, query.From, query.Until);
            query = query with { BucketQuarters = quarters, BucketShiftQuarters = shift };
        }
        var rows = await store.AggregateAsync(query, cancellationToken);
        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var key = KeyOf(request, row);
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = new Group();
            }

            group.Add(row);
        }

        var lines = groups.Select(g => g.Value.ToLine(g.Key, request, catalog)).ToList();
        var ordered = Order(lines, request).ToList();
        var totals = ordered.Aggregate(UsageTotals.Empty, static (sum, line) => sum.Add(line.Totals));
        var unpriced = ordered.SelectMany(static l => l.Models).Where(static m => m.Totals.UnpricedRequests > 0)
            .Select(static m => m.Model).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var problems = await store.CountProblemsAsync(cancellationToken);
        return new Report { Request = request, Lines = ordered, Totals = totals, UnpricedModels = unpriced, CatalogVersion = catalog.Version, Problems = problems };
    }

    private static GroupBy GroupFor(ReportKind kind) => kind switch
    {
        ReportKind.Daily or ReportKind.Weekly or ReportKind.Monthly => GroupBy.QuarterHour | GroupBy.Model,
        ReportKind.Session => GroupBy.Session | GroupBy.Project | GroupBy.Model,
        ReportKind.Projects => GroupBy.Project | GroupBy.Session | GroupBy.Model,
        _ => GroupBy.Model,
    };

    private static string KeyOf(ReportRequest request, AggregateRow row) => request.Kind switch
    {
        ReportKind.Daily => Day(request.DayOf(row.Bucket!.Value)),
        ReportKind.Weekly => Day(WeekStart(request.DayOf(row.Bucket!.Value), request.StartOfWeek)),
        ReportKind.Monthly => request.DayOf(row.Bucket!.Value).ToString("yyyy-MM", CultureInfo.InvariantCulture),
        ReportKind.Session => row.SessionId ?? NoSession,
        ReportKind.Projects => ProjectNames.Display(row.Project, request.ProjectAliases) ?? NoProject,
        _ => row.Model ?? string.Empty,
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly WeekStart(DateOnly day, DayOfWeek first) => day.AddDays(-(((int)day.DayOfWeek - (int)first + 7) % 7));

    private static IEnumerable<ReportLine> Order(List<ReportLine> lines, ReportRequest request)
    {
        switch (request.Kind)
        {
            case ReportKind.Session:
                var byActivity = lines.OrderBy(static l => l.Totals.LastActivity).ThenBy(static l => l.Key, StringComparer.Ordinal);
                return request.Descending == true ? byActivity.Reverse() : byActivity;
            case ReportKind.Projects or ReportKind.Models:
                var byCost = lines.OrderByDescending(static l => l.Totals.CostUsd).ThenByDescending(static l => l.Totals.Tokens.Total).ThenBy(static l => l.Key, StringComparer.Ordinal);
                return request.Descending == false ? byCost.Reverse() : byCost;
            default:
                var byKey = lines.OrderBy(static l => l.Key, StringComparer.Ordinal);
                return request.Descending == true ? byKey.Reverse() : byKey;
        }
    }

    private sealed class Group
    {
        private readonly Dictionary<string, UsageTotals> _models = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _projectCalls = new(StringComparer.Ordinal);
        private readonly HashSet<string> _sessions = new(StringComparer.Ordinal);

        public void Add(AggregateRow row)
        {
            var model = row.Model ?? string.Empty;
            _models[model] = _models.GetValueOrDefault(model, UsageTotals.Empty).Add(row);
            if (row.Project is { } project)
            {
                _projectCalls[project] = _projectCalls.GetValueOrDefault(project) + row.Calls;
            }

            if (row.SessionId is { } session)
            {
                _sessions.Add(session);
            }
        }

        public ReportLine ToLine(string key, ReportRequest request, PriceCatalog catalog)
        {
            var models = _models.Select(static m => new ModelLine(m.Key, m.Value))
                .OrderByDescending(static m => m.Totals.CostUsd).ThenBy(static m => m.Model, StringComparer.Ordinal).ToList();
            return new ReportLine
            {
                Key = key,
                Totals = models.Aggregate(UsageTotals.Empty, static (sum, m) => sum.Add(m.Totals)),
                Models = models,
                ProjectPath = _projectCalls.OrderByDescending(static p => p.Value).ThenBy(static p => p.Key, StringComparer.Ordinal).Select(static p => p.Key).FirstOrDefault(),
                Sessions = request.Kind == ReportKind.Projects ? _sessions.Count : null,
                CatalogModel = request.Kind == ReportKind.Models ? catalog.Find(key)?.Id : null,
            };
        }
    }
}
