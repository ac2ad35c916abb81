using System.Diagnostics;
using Tally.Core.Alerts;

namespace Tally.Alerts;

/// <summary>
/// Shows an alert as a desktop notification where the system has a way to: <c>notify-send</c> (Linux, freedesktop
/// notifications) or <c>osascript</c> (macOS), found on <c>PATH</c>. Where there is none, the alert is skipped
/// silently (recorded as skipped). The program is started without a shell and given a few seconds.
/// </summary>
public sealed class DesktopNotifier : IAlertChannel
{
    private readonly Func<string, string?> _variable;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _wait;

    /// <summary>Creates the channel.</summary>
    /// <param name="variable">Reads an environment variable (<c>PATH</c> is looked up through it).</param>
    /// <param name="clock">The clock outcomes are dated with.</param>
    /// <param name="wait">How long the notifier may run before it is stopped (default 5 s).</param>
    public DesktopNotifier(Func<string, string?> variable, TimeProvider clock, TimeSpan? wait = null)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(clock);
        _variable = variable;
        _clock = clock;
        _wait = wait ?? TimeSpan.FromSeconds(5);
    }

    /// <inheritdoc />
    public string Name => "desktop";

    /// <summary>The program and arguments that would show <paramref name="alert"/>, or null when there is none.</summary>
    public (string Program, IReadOnlyList<string> Arguments)? Command(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var title = alert.Kind == AlertKind.RateLimit ? "Tally: rate limit" : "Tally: budget";
        if (Find("notify-send") is { } notifySend)
        {
            var urgent = alert.Kind == AlertKind.RateLimit || alert.Threshold >= 100m;
            return (notifySend, ["--app-name=Tally", urgent ? "--urgency=critical" : "--urgency=normal", title, alert.Message]);
        }

        if (OperatingSystem.IsMacOS() && Find("osascript") is { } osascript)
        {
            return (osascript, ["-e", $"display notification {AppleScript(alert.Message)} with title {AppleScript(title)}"]);
        }

        return null;
    }

    /// <inheritdoc />
    public async Task<AlertDelivery> DeliverAsync(Alert alert, CancellationToken cancellationToken)
    {
        if (Command(alert) is not { } command)
        {
            return Outcome(DeliveryOutcome.Skipped, 0, "no desktop notifier (notify-send) on PATH");
        }

        var start = new ProcessStartInfo(command.Program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return Outcome(DeliveryOutcome.Failed, 1, $"{Path.GetFileName(command.Program)} could not be started ({ex.Message})");
        }

        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        using var timeout = new CancellationTokenSource(_wait, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return Outcome(DeliveryOutcome.Failed, 1, $"{Path.GetFileName(command.Program)} did not finish within {_wait.TotalSeconds:0.#} s");
        }

        if (process.ExitCode == 0)
        {
            return Outcome(DeliveryOutcome.Sent, 1, null);
        }

        var first = (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return Outcome(DeliveryOutcome.Failed, 1, $"{Path.GetFileName(command.Program)} exited with {process.ExitCode}{(first is null ? string.Empty : ": " + first)}");
    }

    private string? Find(string program)
    {
        foreach (var folder in (_variable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string AppleScript(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private AlertDelivery Outcome(DeliveryOutcome outcome, int attempts, string? detail) => new(Name, outcome, attempts, detail, _clock.GetUtcNow());
}
