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

        var ordered = new List<ReportLine>(groups.Count);
        foreach (var (key, group) in groups)
        {
            ordered.Add(group.ToLine(key, request, catalog));
        }

        Order(ordered, request);
        var sum = new TotalsAccumulator();
        var unpriced = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in ordered)
        {
            sum.Add(line.Totals);
            foreach (var model in line.Models)
            {
                if (model.Totals.UnpricedRequests > 0)
                {
                    unpriced.Add(model.Model);
                }
            }
        }

        var problems = await store.CountProblemsAsync(cancellationToken);
        return new Report { Request = request, Lines = ordered, Totals = sum.ToTotals(), UnpricedModels = [.. unpriced], CatalogVersion = catalog.Version, Problems = problems };
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

    /// <summary>Puts the lines in the report's order. Keys are unique, so each order is total: a sort gives one result.</summary>
    private static void Order(List<ReportLine> lines, ReportRequest request)
    {
        switch (request.Kind)
        {
            case ReportKind.Session:
                lines.Sort(static (a, b) =>
                {
                    var byActivity = Nullable.Compare(a.Totals.LastActivity, b.Totals.LastActivity);
                    return byActivity != 0 ? byActivity : string.CompareOrdinal(a.Key, b.Key);
                });
                if (request.Descending == true)
                {
                    lines.Reverse();
                }

                break;
            case ReportKind.Projects or ReportKind.Models:
                lines.Sort(static (a, b) =>
                {
                    var byCost = b.Totals.CostUsd.CompareTo(a.Totals.CostUsd);
                    if (byCost != 0)
                    {
                        return byCost;
                    }

                    var byTokens = b.Totals.Tokens.Total.CompareTo(a.Totals.Tokens.Total);
                    return byTokens != 0 ? byTokens : string.CompareOrdinal(a.Key, b.Key);
                });
                if (request.Descending == false)
                {
                    lines.Reverse();
                }

                break;
            default:
                lines.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
                if (request.Descending == true)
                {
                    lines.Reverse();
                }

                break;
        }
    }

    private sealed class Group
    {
        // A group holds a few models and projects (a session one or two of each): lists searched in order beat hashing.
        private readonly List<(string Model, TotalsAccumulator Totals)> _models = [];
        private readonly List<(string Project, long Calls)> _projectCalls = [];
        private HashSet<string>? _sessions;

        public void Add(AggregateRow row)
        {
            var model = row.Model ?? string.Empty;
            var totals = Find(model);
            totals.Add(row);
            if (row.Project is { } project)
            {
                var i = _projectCalls.FindIndex(p => string.Equals(p.Project, project, StringComparison.Ordinal));
                if (i < 0)
                {
                    _projectCalls.Add((project, row.Calls));
                }
                else
                {
                    _projectCalls[i] = (project, _projectCalls[i].Calls + row.Calls);
                }
            }

            if (row.SessionId is { } session)
            {
                (_sessions ??= new HashSet<string>(StringComparer.Ordinal)).Add(session);
            }
        }

        public ReportLine ToLine(string key, ReportRequest request, PriceCatalog catalog)
        {
            var models = new List<ModelLine>(_models.Count);
            foreach (var (model, totals) in _models)
            {
                models.Add(new ModelLine(model, totals.ToTotals()));
            }

            // Most expensive first, then by id: ids are unique, so the order is total.
            models.Sort(static (a, b) =>
            {
                var byCost = b.Totals.CostUsd.CompareTo(a.Totals.CostUsd);
                return byCost != 0 ? byCost : string.CompareOrdinal(a.Model, b.Model);
            });
            var sum = new TotalsAccumulator();
            foreach (var model in models)
            {
                sum.Add(model.Totals);
            }

            string? projectPath = null;
            long projectCalls = 0;
            foreach (var (project, calls) in _projectCalls)
            {
                if (projectPath is null || calls > projectCalls || (calls == projectCalls && string.CompareOrdinal(project, projectPath) < 0))
                {
                    projectPath = project;
                    projectCalls = calls;
                }
            }

            return new ReportLine
            {
                Key = key,
                Totals = sum.ToTotals(),
                Models = models,
                ProjectPath = projectPath,
                Sessions = request.Kind == ReportKind.Projects ? _sessions?.Count ?? 0 : null,
                CatalogModel = request.Kind == ReportKind.Models ? catalog.Find(key)?.Id : null,
            };
        }

        private TotalsAccumulator Find(string model)
        {
            foreach (var (name, totals) in _models)
            {
                if (string.Equals(name, model, StringComparison.Ordinal))
                {
                    return totals;
                }
            }

            var added = new TotalsAccumulator();
            _models.Add((model, added));
            return added;
        }
    }
}
