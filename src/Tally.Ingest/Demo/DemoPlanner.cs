namespace Tally.Ingest.Demo;

/// <summary>
/// Decides the sessions: a size budget per day (weekdays busy, weekends light, some days off), several sessions a
/// day across projects and worktrees, and a few forced sessions so every rare event and model appears at least once.
/// </summary>
internal sealed class DemoPlanner(DemoWorld world)
{
    private enum Rare
    {
        Model,
        LongContext,
        Limit,
        Straddle,
        Subagent,
        WebSearch,
        Idless,
        Malformed,
        Legacy,
    }

    private readonly record struct Forced(Rare Kind, string? Model = null);

    /// <summary>The sessions in writing order; lazy, because each day's plan depends on the bytes already written.</summary>
    public IEnumerable<SessionPlan> Plans()
    {
        DemoRandom rng = world.Rng;
        CorpusOptions options = world.Options;
        IReadOnlyList<DemoProject> projects = DemoProjects.Create(options.Projects);
        double[] projectWeights = projects.Select(static (_, i) => 1.0 / Math.Pow(i + 1, 0.8)).ToArray();
        double[] dayWeights = DayWeights();
        List<Forced>[] forced = PlaceForced(dayWeights);
        double totalWeight = dayWeights.Sum();

        for (int d = 0; d < options.Days; d++)
        {
            long dayBudget = (long)(options.TargetBytes * dayWeights[d] / totalWeight);
            long dayStart = world.Output.Bytes;
            var queue = new Queue<Forced>(forced[d]);
            while (queue.Count > 0 || world.Output.Bytes - dayStart < dayBudget)
            {
                Forced? f = queue.Count > 0 ? queue.Dequeue() : null;
                long remaining = dayBudget - (world.Output.Bytes - dayStart);
                long budget = f is not null
                    ? rng.Between(6_000L, 18_000L)
                    : Math.Max(8_000L, Math.Min(remaining, (long)(dayBudget * rng.LogUniform(0.2, 0.8))));
                yield return Plan(d, f, budget, projects, projectWeights);
            }
        }

        if (options.IncludeMalformedLines)
        {
            SessionPlan tail = Plan(options.Days - 1, null, 4_000L, projects, projectWeights);
            yield return tail with { Resume = null, EndPartial = true, Start = world.HardEnd.AddHours(-2.5), StopBy = world.HardEnd.AddHours(-2.5) };
        }
    }

    private SessionPlan Plan(int day, Forced? f, long budget, IReadOnlyList<DemoProject> projects, double[] projectWeights)
    {
        DemoRandom rng = world.Rng;
        CorpusOptions options = world.Options;
        Rare? kind = f?.Kind;
        DemoProject project = projects[rng.PickWeighted(projectWeights)];
        DemoCwd cwd = project.Worktrees.Count > 0 && rng.Chance(0.3) ? rng.Pick(project.Worktrees) : project.Main;
        string model = f?.Model ?? DemoModels.Main[rng.PickWeighted(DemoModels.Weights)];
        if (f is null && options.IncludeUnknownModel && rng.Chance(0.01))
        {
            model = DemoModels.Unknown;
        }

        bool longContext = kind == Rare.LongContext
            || (f is null && options.IncludeLongContext && model == DemoModels.Sonnet45 && rng.Chance(0.05));
        if (longContext)
        {
            model = DemoModels.Sonnet45;
        }

        DateTime dayStart = world.FirstDay.AddDays(day).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        DateTime latest = world.HardEnd.AddHours(-3);
        DateTime start = kind == Rare.Straddle
            ? dayStart.AddDays(1) - DemoTime.Jitter(rng, 25, 50)
            : dayStart + StartOfDay(rng);
        if (start > latest)
        {
            start = latest - DemoTime.Jitter(rng, 0, 3_600);
        }

        DateTime stopBy = start + DemoTime.Jitter(rng, 2 * 3_600, 10 * 3_600);
        if (stopBy > world.HardEnd.AddHours(-2))
        {
            stopBy = world.HardEnd.AddHours(-2);
        }

        ResumePoint? resume = null;
        if (kind is null or Rare.Model && rng.Chance(0.15)
            && world.ResumePoints.TryGetValue(cwd.Path, out ResumePoint? point) && point.LastTime < start.AddMinutes(-3))
        {
            resume = point;
            world.ResumePoints.Remove(cwd.Path);
        }

        return new SessionPlan
        {
            Cwd = cwd,
            Model = model,
            Start = start,
            Budget = budget,
            StopBy = stopBy,
            Resume = resume,
            LongContext = longContext,
            Legacy = kind == Rare.Legacy || (f is null && resume is null && rng.Chance(0.04)),
            ForceLimit = kind == Rare.Limit,
            ForceStraddle = kind == Rare.Straddle,
            ForceSubagent = kind == Rare.Subagent,
            ForceWebSearch = kind == Rare.WebSearch,
            ForceIdless = kind == Rare.Idless,
            ForceMalformed = kind == Rare.Malformed,
        };
    }

    /// <summary>Mostly working hours, some evenings, a few nights (UTC).</summary>
    private static TimeSpan StartOfDay(DemoRandom rng)
    {
        double r = rng.NextDouble();
        return r < 0.7 ? DemoTime.Jitter(rng, 8 * 3_600, 18 * 3_600)
            : r < 0.95 ? DemoTime.Jitter(rng, 18 * 3_600, 23 * 3_600)
            : DemoTime.Jitter(rng, 0, 7 * 3_600);
    }

    private double[] DayWeights()
    {
        DemoRandom rng = world.Rng;
        var weights = new double[world.Options.Days];
        for (int d = 0; d < weights.Length; d++)
        {
            DayOfWeek dow = world.FirstDay.AddDays(d).DayOfWeek;
            double w = dow switch
            {
                DayOfWeek.Saturday => 0.3,
                DayOfWeek.Sunday => 0.15,
                _ => rng.Chance(0.08) ? 0 : 0.7 + (0.6 * rng.NextDouble()),
            };
            weights[d] = d == weights.Length - 1 ? Math.Max(w, 0.8) : w;
        }

        return weights;
    }

    /// <summary>Puts each rare event (and each model) on a random active day.</summary>
    private List<Forced>[] PlaceForced(double[] dayWeights)
    {
        DemoRandom rng = world.Rng;
        CorpusOptions options = world.Options;
        var events = new List<Forced>();
        events.AddRange(DemoModels.Main.Select(static m => new Forced(Rare.Model, m)));
        events.Add(new Forced(Rare.Limit));
        events.Add(new Forced(Rare.Subagent));
        events.Add(new Forced(Rare.Legacy));
        if (options.IncludeUnknownModel)
        {
            events.Add(new Forced(Rare.Model, DemoModels.Unknown));
        }

        events.AddRange(new (bool On, Rare Kind)[]
            {
                (options.IncludeLongContext, Rare.LongContext),
                (options.IncludeMidnightStraddles && options.Days > 1, Rare.Straddle),
                (options.IncludeWebSearch, Rare.WebSearch),
                (options.IncludeIdlessDuplicates, Rare.Idless),
                (options.IncludeMalformedLines, Rare.Malformed),
            }
            .Where(static e => e.On)
            .Select(static e => new Forced(e.Kind)));

        int[] active = Enumerable.Range(0, dayWeights.Length).Where(d => dayWeights[d] > 0).ToArray();
        var perDay = Enumerable.Range(0, dayWeights.Length).Select(static _ => new List<Forced>()).ToArray();
        foreach (Forced e in events)
        {
            int[] days = e.Kind == Rare.Straddle ? active.Where(d => d < dayWeights.Length - 1).DefaultIfEmpty(0).ToArray() : active;
            perDay[days[rng.Next(days.Length)]].Add(e);
        }

        return perDay;
    }
}
