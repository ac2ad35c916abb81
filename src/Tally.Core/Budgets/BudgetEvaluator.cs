using Tally.Core.Storage;

namespace Tally.Core.Budgets;

/// <summary>
/// Works out where each budget stands now: usage in its current window, the burn rate over the last hour, and when
/// the limit is reached at that rate. Every figure comes from the store's aggregates bounded by the window (the
/// rollup for whole quarter hours), never from a scan of all history; queries shared by several budgets run once.
/// </summary>
public sealed class BudgetEvaluator
{
    /// <summary>How far back the burn rate looks (from the quarter hour before; up to now, so a record dated in the
    /// future by a skewed clock does not count as burn).</summary>
    public static readonly TimeSpan BurnSpan = TimeSpan.FromHours(1);

    /// <summary>For a window that never resets, a projection further away than this raises no alert.</summary>
    public static readonly TimeSpan LifetimeHorizon = TimeSpan.FromHours(1);

    private static readonly TimeSpan QuarterHour = TimeSpan.FromMinutes(15);

    private readonly IUsageStore _store;
    private readonly TimeProvider _clock;
    private readonly BudgetSettings _settings;

    /// <summary>Creates an evaluator over <paramref name="store"/>.</summary>
    public BudgetEvaluator(IUsageStore store, TimeProvider clock, BudgetSettings settings)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(settings);
        _store = store;
        _clock = clock;
        _settings = settings;
    }

    /// <summary>The status of every budget: one per budget, or, for a budget without a target, one per session,
    /// project or agent with usage in the window.</summary>
    public async Task<IReadOnlyList<BudgetStatus>> EvaluateAsync(IReadOnlyList<Budget> budgets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        var now = _clock.GetUtcNow();
        var run = new Run(_store, _settings, now, cancellationToken);
        var statuses = new List<BudgetStatus>();
        foreach (var budget in budgets)
        {
            statuses.AddRange(budget.Scope switch
            {
                BudgetScope.Day => [await run.TotalAsync(budget, LocalCalendar.Day(now, _settings.Zone))],
                BudgetScope.Month => [await run.TotalAsync(budget, LocalCalendar.Month(now, _settings.Zone))],
                BudgetScope.Session => await run.SessionsAsync(budget),
                BudgetScope.Project => await run.GroupedAsync(budget, GroupBy.Project),
                BudgetScope.Agent => await run.GroupedAsync(budget, GroupBy.Directory),
                _ => [await run.PlanAsync(budget)],
            });
        }

        return statuses;
    }

    /// <summary>When <paramref name="limit"/> is reached from <paramref name="used"/> at <paramref name="burnPerHour"/>,
    /// if before <paramref name="end"/> (or within <see cref="LifetimeHorizon"/> when the window never ends).</summary>
    public static DateTimeOffset? Projection(decimal used, decimal limit, decimal? burnPerHour, DateTimeOffset now, DateTimeOffset? end)
    {
        if (burnPerHour is not > 0m || used >= limit)
        {
            return null;
        }

        var hours = (limit - used) / burnPerHour.Value;
        var horizon = (end ?? now + LifetimeHorizon) - now;
        return hours * 3600m >= (decimal)horizon.TotalSeconds ? null : now + TimeSpan.FromSeconds((double)(hours * 3600m));
    }

    private static DateTimeOffset FloorToQuarterHour(DateTimeOffset instant) =>
        DateTimeOffset.FromUnixTimeMilliseconds(instant.ToUnixTimeMilliseconds() / (long)QuarterHour.TotalMilliseconds * (long)QuarterHour.TotalMilliseconds);

    /// <summary>One evaluation: a clock reading and the aggregates asked so far.</summary>
    private sealed class Run(IUsageStore store, BudgetSettings settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        private readonly Dictionary<UsageQuery, IReadOnlyList<AggregateRow>> _answers = [];
        private readonly DateTimeOffset _burnFrom = FloorToQuarterHour(now - BurnSpan);

        public async Task<BudgetStatus> TotalAsync(Budget budget, BudgetWindow window)
        {
            var used = Sum(await AskAsync(new UsageQuery { From = window.Start, Until = window.End }), budget.Unit);
            var burn = Burn(Sum(await AskAsync(new UsageQuery { From = _burnFrom, Until = now }), budget.Unit));
            return Status(budget, window, null, null, used, burn);
        }

        public async Task<IReadOnlyList<BudgetStatus>> SessionsAsync(Budget budget)
        {
            if (budget.Target is { } target)
            {
                var used = Sum(await AskAsync(new UsageQuery { SessionId = target }), budget.Unit);
                var burn = Burn(Sum(await AskAsync(new UsageQuery { SessionId = target, From = _burnFrom, Until = now }), budget.Unit));
                return [Status(budget, BudgetWindow.Lifetime, target, target, used, burn)];
            }

            // Each session active lately (an idle one cannot cross a threshold any more), with its whole usage: one
            // lookup per session through the rollup's session index.
            var from = FloorToQuarterHour(now - settings.ActiveSessionSpan);
            var active = await AskAsync(new UsageQuery { From = from, GroupBy = GroupBy.Session });
            var burns = (await AskAsync(new UsageQuery { From = _burnFrom, Until = now, GroupBy = GroupBy.Session }))
                .Where(static r => r.SessionId is not null).ToDictionary(static r => r.SessionId!, r => Value(r, budget.Unit), StringComparer.Ordinal);
            var statuses = new List<BudgetStatus>();
            foreach (var session in active.Select(static r => r.SessionId).OfType<string>().Order(StringComparer.Ordinal))
            {
                var used = Sum(await AskAsync(new UsageQuery { SessionId = session }), budget.Unit);
                statuses.Add(Status(budget, BudgetWindow.Lifetime, session, session, used, Burn(burns.GetValueOrDefault(session))));
            }

            return statuses;
        }

        public async Task<IReadOnlyList<BudgetStatus>> GroupedAsync(Budget budget, GroupBy by)
        {
            var window = budget.Period == BudgetPeriod.Month ? LocalCalendar.Month(now, settings.Zone) : LocalCalendar.Day(now, settings.Zone);
            var rows = (await AskAsync(new UsageQuery { From = window.Start, Until = window.End, GroupBy = by })).Where(r => Key(r, by) is not null);
            var burns = (await AskAsync(new UsageQuery { From = _burnFrom, Until = now, GroupBy = by })).Where(r => Key(r, by) is not null);
            if (budget.Target is { } target)
            {
                bool Named(AggregateRow row) => by == GroupBy.Project
                    ? BudgetSubjects.IsProject(row.Project!, target, settings.ProjectAliases)
                    : BudgetSubjects.IsAgent(row.Directory!, target);
                var used = rows.Where(Named).Sum(r => Value(r, budget.Unit));
                var burn = Burn(burns.Where(Named).Sum(r => Value(r, budget.Unit)));
                return [Status(budget, window, target, target, used, burn)];
            }

            var burnBySubject = burns.ToDictionary(r => Key(r, by)!, r => Value(r, budget.Unit), StringComparer.Ordinal);
            return [.. rows.OrderBy(r => Key(r, by), StringComparer.Ordinal).Select(row =>
            {
                var subject = Key(row, by)!;
                var label = by == GroupBy.Project ? BudgetSubjects.ProjectLabel(subject, settings.ProjectAliases) : subject;
                return Status(budget, window, subject, label, Value(row, budget.Unit), Burn(burnBySubject.GetValueOrDefault(subject)));
            })];
        }

        public async Task<BudgetStatus> PlanAsync(Budget budget)
        {
            var utilisation = settings.Plan is null ? null : await settings.Plan.GetAsync(budget.Period, now, cancellationToken);
            if (utilisation is null)
            {
                return new BudgetStatus
                {
                    Budget = budget,
                    Window = BudgetWindow.Lifetime,
                    Note = "no plan utilisation figure is known yet (it comes from observed limits, Claude Code's status line or an estimate)",
                };
            }

            return Status(budget, utilisation.Window, null, null, utilisation.Percent, utilisation.PercentPerHour) with { Note = $"utilisation from {utilisation.Source}" };
        }

        private BudgetStatus Status(Budget budget, BudgetWindow window, string? subject, string? label, decimal used, decimal? burn) => new()
        {
            Budget = budget,
            Subject = subject,
            SubjectLabel = label,
            Window = window,
            Used = used,
            BurnPerHour = burn,
            ProjectedAt = Projection(used, budget.Limit, burn, now, window.End),
        };

        private decimal Burn(decimal recent) => recent / (decimal)(now - _burnFrom).TotalHours;

        private static string? Key(AggregateRow row, GroupBy by) => by == GroupBy.Project ? row.Project : row.Directory;

        private static decimal Value(AggregateRow row, BudgetUnit unit) => unit == BudgetUnit.Tokens ? row.Tokens.Total : row.CostUsd;

        private static decimal Sum(IReadOnlyList<AggregateRow> rows, BudgetUnit unit) => rows.Sum(r => Value(r, unit));

        private async Task<IReadOnlyList<AggregateRow>> AskAsync(UsageQuery query)
        {
            query = query with { CostMode = settings.CostMode };
            if (!_answers.TryGetValue(query, out var rows))
            {
                _answers[query] = rows = await store.AggregateAsync(query, cancellationToken);
            }

            return rows;
        }
    }
}
