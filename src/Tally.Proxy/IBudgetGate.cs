namespace Tally.Proxy;

/// <summary>A refusal the proxy answers instead of forwarding: an Anthropic-format error.</summary>
/// <param name="Status">The HTTP status (429 for a budget).</param>
/// <param name="Type">The error type (<c>rate_limit_error</c>).</param>
/// <param name="Message">What the user sees: the budget, the spend and when it resets.</param>
/// <param name="RetryAfter">When to try again, when known.</param>
public sealed record BudgetRefusal(int Status, string Type, string Message, TimeSpan? RetryAfter);

/// <summary>The budgets checked before a metered request is forwarded.</summary>
internal interface IBudgetGate
{
    /// <summary>Null to forward (after any warning or hold); a refusal to answer instead.</summary>
    ValueTask<BudgetRefusal?> CheckAsync(CallIdentity identity, CancellationToken cancellationToken);
}
