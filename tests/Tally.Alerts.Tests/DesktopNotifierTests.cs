using Tally.Core.Alerts;

namespace Tally.Alerts.Tests;

public class DesktopNotifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private static readonly Alert Warning = new()
    {
        Id = 1,
        Key = "k",
        Kind = AlertKind.Threshold,
        RaisedAt = Now,
        Threshold = 80m,
        Message = "Budget daily: 80% of $20.00 per day used ($16.00 on 2026-11-20); \"quoted\" $HOME `x`.",
    };

    [Fact]
    public async Task Notify_send_on_path_is_run_without_a_shell_with_the_message_as_one_argument()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempDirectory();
        var log = Path.Combine(temp.Path, "args.txt");
        Script(temp.Path, "notify-send", $"#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '{log}'\n");
        var notifier = new DesktopNotifier(Variables(temp.Path), new TestClock(Now));

        var delivery = await notifier.DeliverAsync(Warning, CancellationToken.None);

        Assert.Equal(new AlertDelivery("desktop", DeliveryOutcome.Sent, 1, null, Now), delivery);
        Assert.Equal(["--app-name=Tally", "--urgency=normal", "Tally: budget", Warning.Message], File.ReadAllLines(log));

        await notifier.DeliverAsync(Warning with { Threshold = 100m }, CancellationToken.None);
        Assert.Equal("--urgency=critical", File.ReadAllLines(log)[1]);
    }

    [Fact]
    public async Task A_notifier_that_fails_is_recorded_with_its_first_error_line()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempDirectory();
        Script(temp.Path, "notify-send", "#!/bin/sh\necho 'Cannot autolaunch D-Bus without X11 $DISPLAY' >&2\necho second >&2\nexit 1\n");
        var delivery = await new DesktopNotifier(Variables(temp.Path), new TestClock(Now)).DeliverAsync(Warning, CancellationToken.None);
        Assert.Equal(DeliveryOutcome.Failed, delivery.Outcome);
        Assert.Equal("notify-send exited with 1: Cannot autolaunch D-Bus without X11 $DISPLAY", delivery.Detail);
    }

    [Fact]
    public async Task Without_a_notifier_the_alert_is_skipped_silently()
    {
        using var temp = new TempDirectory();
        var notifier = new DesktopNotifier(Variables(temp.Path), new TestClock(Now));
        Assert.Null(notifier.Command(Warning));
        var delivery = await notifier.DeliverAsync(Warning, CancellationToken.None);
        Assert.Equal(new AlertDelivery("desktop", DeliveryOutcome.Skipped, 0, "no desktop notifier (notify-send) on PATH", Now), delivery);
        Assert.Equal(DeliveryOutcome.Skipped, (await new DesktopNotifier(static _ => null, new TestClock(Now)).DeliverAsync(Warning, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task A_notifier_that_hangs_is_stopped()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempDirectory();
        Script(temp.Path, "notify-send", "#!/bin/sh\nexec sleep 30\n");
        var delivery = await new DesktopNotifier(Variables(temp.Path), new TestClock(Now), TimeSpan.FromMilliseconds(300)).DeliverAsync(Warning, CancellationToken.None);
        Assert.Equal(DeliveryOutcome.Failed, delivery.Outcome);
        Assert.Equal("notify-send did not finish within 0.3 s", delivery.Detail);
    }

    private static Func<string, string?> Variables(string path) => name => name == "PATH" ? path : null;

    private static void Script(string folder, string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
