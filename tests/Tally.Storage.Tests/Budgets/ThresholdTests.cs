using Tally.Core.Alerts;
using Tally.Core.Budgets;

namespace Tally.Storage.Tests.Budgets;

public class ThresholdTests
{
    // 14:00 in Berlin (CEST) on the spring-forward day.
    private static readonly DateTimeOffset Noon = new(2026, 3, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly Budget Daily = new() { Name = "daily", Scope = BudgetScope.Day, Period = BudgetPeriod.Day, Limit = 10m, Action = BudgetAction.Pause };

    [Fact]
    public async Task Each_threshold_alerts_once_as_usage_crosses_it()
    {
        await using var world = new BudgetWorld(Noon);
        var channel = new RecordingChannel();
        var monitor = world.Monitor(channels: channel);
        var morning = Noon.AddHours(-3);

        await world.AddAsync(morning, 4m);
        var check = await monitor.CheckAsync([Daily], CancellationToken.None);
        Assert.Equal(4m, Assert.Single(check.Statuses).Used);
        Assert.Empty(check.Raised);

        await world.AddAsync(morning, 1.5m);
        check = await monitor.CheckAsync([Daily], CancellationToken.None);
        Assert.Equal(50m, Assert.Single(check.Raised).Threshold);
        Assert.Empty((await monitor.CheckAsync([Daily], CancellationToken.None)).Raised);

        await world.AddAsync(morning, 3m);
        Assert.Equal(80m, Assert.Single((await monitor.CheckAsync([Daily], CancellationToken.None)).Raised).Threshold);

        await world.AddAsync(morning, 2m);
        check = await monitor.CheckAsync([Daily], CancellationToken.None);
        var limit = Assert.Single(check.Raised);
        Assert.Equal(100m, limit.Threshold);
        Assert.Equal(BudgetAction.Pause, Assert.Single(check.Statuses).ActionDue);
        Assert.Equal(10.5m, limit.Used);

        await monitor.DrainAsync();
        Assert.Equal([50m, 80m, 100m], channel.Alerts.Select(static a => a.Threshold!.Value));
        var history = await world.Store.AlertsAsync(null, null, CancellationToken.None);
        Assert.Equal([50m, 80m, 100m], history.Select(static a => a.Threshold!.Value));
        Assert.All(history, a => Assert.Equal(DeliveryOutcome.Sent, Assert.Single(a.Deliveries).Outcome));
    }

    [Fact]
    public async Task Thresholds_reached_together_send_only_the_highest_and_keep_the_others_as_superseded()
    {
        await using var world = new BudgetWorld(Noon);
        var channel = new RecordingChannel();
        var monitor = world.Monitor(channels: channel);
        await world.AddAsync(Noon.AddHours(-4), 9m);
        var raised = (await monitor.CheckAsync([Daily], CancellationToken.None)).Raised;
        await monitor.DrainAsync();

        Assert.Equal(80m, Assert.Single(channel.Alerts).Threshold);
        Assert.Equal([80m, 50m], raised.Select(static a => a.Threshold!.Value));
        var history = await world.Store.AlertsAsync(null, null, CancellationToken.None);
        var fifty = history.Single(static a => a.Threshold == 50m);
        Assert.Equal("superseded by the 80% alert of the same window", fifty.Suppressed);
        Assert.Empty(fifty.Deliveries);
        Assert.Null(history.Single(static a => a.Threshold == 80m).Suppressed);
    }

    [Fact]
    public async Task A_new_window_alerts_again_and_usage_on_either_side_of_midnight_counts_in_its_own_day()
    {
        await using var world = new BudgetWorld(Noon);
        var channel = new RecordingChannel();
        var monitor = world.Monitor(channels: channel);
        var midnight = new DateTimeOffset(2026, 3, 29, 22, 0, 0, TimeSpan.Zero); // 00:00 CEST on the 30th

        await world.AddAsync(midnight.AddMinutes(-90), 6m); // 22:30 on the 29th (long enough before midnight to leave no burn rate)
        Assert.Equal(50m, Assert.Single((await monitor.CheckAsync([Daily], CancellationToken.None)).Raised).Threshold);

        // Just before midnight nothing is new; just after it, the 29th's usage no longer counts.
        world.Clock.Now = midnight.AddMilliseconds(-1);
        Assert.Empty((await monitor.CheckAsync([Daily], CancellationToken.None)).Raised);
        world.Clock.Now = midnight;
        var check = await monitor.CheckAsync([Daily], CancellationToken.None);
        Assert.Equal(0m, Assert.Single(check.Statuses).Used);
        Assert.Empty(check.Raised);

        await world.AddAsync(midnight, 5m); // 00:00 on the 30th
        check = await monitor.CheckAsync([Daily], CancellationToken.None);
        var again = Assert.Single(check.Raised);
        Assert.Equal(50m, again.Threshold);
        Assert.Equal(midnight, again.Window!.Start);

        await monitor.DrainAsync();
        var alerts = channel.Alerts;
        Assert.Equal(2, alerts.Count);
        Assert.NotEqual(alerts[0].Key, alerts[1].Key);
        Assert.Equal(new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero), alerts[0].Window!.Start);
        Assert.Contains("on 2026-03-29", alerts[0].Message, StringComparison.Ordinal);
        Assert.Contains("on 2026-03-30", alerts[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_limit_is_a_new_budget_for_alerting()
    {
        await using var world = new BudgetWorld(Noon);
        var monitor = world.Monitor(channels: new RecordingChannel());
        await world.AddAsync(Noon.AddHours(-2), 6m);
        Assert.Single((await monitor.CheckAsync([Daily], CancellationToken.None)).Raised);
        var raised = await monitor.CheckAsync([Daily with { Limit = 7m }], CancellationToken.None);
        Assert.Equal(80m, raised.Raised[0].Threshold);
    }

    [Fact]
    public async Task A_failing_channel_is_recorded_as_failed_and_the_others_still_deliver()
    {
        await using var world = new BudgetWorld(Noon);
        var good = new RecordingChannel("good");
        var monitor = world.Monitor(channels: [new ThrowingChannel(), good]);
        await world.AddAsync(Noon.AddHours(-2), 5m);
        await monitor.CheckAsync([Daily], CancellationToken.None);
        await monitor.DrainAsync();

        Assert.Single(good.Alerts);
        var deliveries = Assert.Single(await world.Store.AlertsAsync(null, null, CancellationToken.None)).Deliveries;
        Assert.Equal(["broken", "good"], deliveries.Select(static d => d.Channel));
        Assert.Equal(DeliveryOutcome.Failed, deliveries[0].Outcome);
        Assert.Equal("InvalidOperationException: the notifier is broken", deliveries[0].Detail);
        Assert.Equal(DeliveryOutcome.Sent, deliveries[1].Outcome);
    }

    [Fact]
    public async Task The_history_is_filtered_by_when_alerts_were_raised()
    {
        await using var world = new BudgetWorld(Noon);
        var monitor = world.Monitor(channels: new RecordingChannel());
        await world.AddAsync(Noon.AddHours(-2), 5m);
        await monitor.CheckAsync([Daily], CancellationToken.None);
        world.Clock.Now = Noon.AddHours(1);
        await world.AddAsync(Noon.AddHours(-2), 3m);
        await monitor.CheckAsync([Daily], CancellationToken.None);

        Assert.Equal(2, (await world.Store.AlertsAsync(null, null, CancellationToken.None)).Count);
        Assert.Equal(80m, Assert.Single(await world.Store.AlertsAsync(Noon.AddMinutes(1), null, CancellationToken.None)).Threshold);
        Assert.Equal(50m, Assert.Single(await world.Store.AlertsAsync(null, Noon.AddMinutes(1), CancellationToken.None)).Threshold);
    }

    private sealed class ThrowingChannel : IAlertChannel
    {
        public string Name => "broken";

        public Task<AlertDelivery> DeliverAsync(Alert alert, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the notifier is broken");
    }
}
