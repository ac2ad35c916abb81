namespace Tally.Core.Alerts;

/// <summary>What one channel did with one alert.</summary>
/// <param name="Channel">The channel: <c>terminal</c>, <c>desktop</c> or <c>webhook</c>.</param>
/// <param name="Outcome">Sent, skipped or failed.</param>
/// <param name="Attempts">How many times it was tried.</param>
/// <param name="Detail">Why it was skipped or failed (never a secret such as the webhook's URL), or null.</param>
/// <param name="At">When the outcome was known.</param>
public sealed record AlertDelivery(string Channel, DeliveryOutcome Outcome, int Attempts, string? Detail, DateTimeOffset At);
