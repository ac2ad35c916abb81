using Spectre.Console;
using Tally.Core.Alerts;

namespace Tally.Cli.App;

/// <summary>Prints each alert as one line on standard error (yellow below the limit, red at it and for rate limits).</summary>
internal sealed class TerminalAlertChannel(IAnsiConsole error, TimeProvider clock) : IAlertChannel
{
    /// <inheritdoc />
    public string Name => "terminal";

    /// <inheritdoc />
    public Task<AlertDelivery> DeliverAsync(Alert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var urgent = alert.Kind == AlertKind.RateLimit || alert.Threshold >= 100m;
        var colour = urgent ? "red" : "yellow";
        error.MarkupLineInterpolated($"[{colour}]⚠ alert:[/] {alert.Message}");
        return Task.FromResult(new AlertDelivery(Name, DeliveryOutcome.Sent, 1, null, clock.GetUtcNow()));
    }
}
