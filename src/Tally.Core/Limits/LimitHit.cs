namespace Tally.Core.Limits;

/// <summary>What a "limit reached" message says: which window, and when it resets.</summary>
/// <param name="Window">The window that was hit (<see cref="WindowKind.Unknown"/> when the message does not say and
/// gives no reset time to tell by).</param>
/// <param name="Model">The model family of a model-specific limit (<c>opus</c>, <c>sonnet</c>).</param>
/// <param name="ResetsAt">When the limit resets, when the message gives a time that could be read.</param>
public sealed record LimitHit(WindowKind Window, string? Model, DateTimeOffset? ResetsAt);
