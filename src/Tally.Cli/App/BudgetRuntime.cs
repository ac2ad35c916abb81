using Tally.Alerts;
using Tally.Core.Alerts;
using Tally.Core.Budgets;
using Tally.Core.Limits;
using Tally.Core.Storage;

namespace Tally.Cli.App;

/// <summary>
/// A run's budgets and alerting: the budgets file, the channels the configuration turns on, and the monitor that
/// checks the budgets after a sync. Disposing waits for deliveries still in flight (a webhook's retries, within its
/// bounds) and records their outcomes.
/// </summary>
internal sealed class BudgetRuntime : IAsyncDisposable
{
    private readonly HttpClient? _http;

    private BudgetRuntime(IReadOnlyList<Budget> budgets, BudgetSettings settings, BudgetMonitor monitor, BudgetEvaluator evaluator, HttpClient? http)
    {
        Budgets = budgets;
        Settings = settings;
        Monitor = monitor;
        Evaluator = evaluator;
        _http = http;
    }

    /// <summary>The budgets from <c>budgets.json</c> (those without problems).</summary>
    public IReadOnlyList<Budget> Budgets { get; }

    /// <summary>The time zone, cost mode and aliases budgets are evaluated with.</summary>
    public BudgetSettings Settings { get; }

    /// <summary>Checks budgets and raises alerts (also the entry point for rate-limit hits).</summary>
    public BudgetMonitor Monitor { get; }

    /// <summary>Evaluates budgets without raising alerts.</summary>
    public BudgetEvaluator Evaluator { get; }

    /// <summary>Reads the budgets and builds the channels the configuration turns on.</summary>
    public static BudgetRuntime Create(TallyEnvironment environment, TallyConfig config, TallyPaths paths, IUsageStore store, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(paths);
        var budgets = BudgetsFile.Load(paths.BudgetsFile, errors);
        var settings = new BudgetSettings
        {
            Zone = (config.TimeZone is { } id ? Options.FindZone(id) : null) ?? environment.LocalZone,
            CostMode = config.CostMode ?? CostMode.Auto,
            ProjectAliases = config.ProjectAliases,
        };
        if (budgets.Any(static b => b.Unit == BudgetUnit.Percent))
        {
            settings = settings with { Plan = PlanSource(environment, settings, paths, store, errors) };
        }

        var alerts = config.Alerts;
        var channels = new List<IAlertChannel>();
        if (alerts.Terminal)
        {
            channels.Add(new TerminalAlertChannel(environment.Error, environment.Clock));
        }

        if (alerts.Desktop)
        {
            channels.Add(new DesktopNotifier(environment.Variable, environment.Clock));
        }

        HttpClient? http = null;
        var url = environment.Variable("TALLY_ALERT_WEBHOOK_URL") is { Length: > 0 } fromEnvironment
            ? AlertSettings.ParseUrl(fromEnvironment, "TALLY_ALERT_WEBHOOK_URL", errors)
            : alerts.WebhookUrl;
        if (url is not null)
        {
            http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = Timeout.InfiniteTimeSpan };
            var options = new WebhookOptions { Url = url, MaxAttempts = alerts.WebhookMaxAttempts, MaxTime = TimeSpan.FromSeconds(alerts.WebhookMaxSeconds) };
            channels.Add(new WebhookChannel(http, options, environment.Clock));
        }

        var dispatcher = new AlertDispatcher(store, channels, environment.Clock);
        var monitor = new BudgetMonitor(store, environment.Clock, settings, dispatcher, alerts.RateLimits);
        return new BudgetRuntime(budgets, settings, monitor, new BudgetEvaluator(store, environment.Clock, settings), http);
    }

    /// <summary>Plan-percent budgets' utilisation, from plan usage with the plan <c>plans.json</c> selects (null when it
    /// names none there).</summary>
    private static PlanUsageUtilisation? PlanSource(TallyEnvironment environment, BudgetSettings settings, TallyPaths paths, IUsageStore store, ICollection<string> errors)
    {
        var plans = PlanLoader.Load(paths, errors, create: false);
        if (plans.Find() is not { } plan)
        {
            errors.Add($"{paths.PlansFile}: the plan \"{plans.Selected}\" is not defined there; plan-percent budgets have no figure.");
            return null;
        }

        var request = new LimitsRequest
        {
            Plan = plan,
            Zone = settings.Zone,
            ConfiguredWeeklyReset = PlanLoader.WeeklyReset(plans, environment.Clock.GetUtcNow(), settings.Zone),
            CostMode = settings.CostMode,
        };
        return new PlanUsageUtilisation(new PlanUsage(new UsageWindows(store, environment.Clock)), request);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Monitor.DrainAsync();
        }
        finally
        {
            _http?.Dispose();
        }
    }
}
