using System.Globalization;
using System.Net.Http.Headers;
using Tally.Core.Limits;

namespace Tally.Proxy;

/// <summary>
/// Reads a response's rate-limit headers: every <c>anthropic-ratelimit-*</c>, <c>anthropic-priority-*</c> and
/// <c>retry-after</c> header is kept by name; the unified 5-hour and weekly utilisation (a fraction) become plan-usage
/// signals in percent, the most authoritative kind (<see cref="SignalKind.Header"/>).
/// </summary>
internal static class RateLimitReader
{
    private const string Unified = "anthropic-ratelimit-unified-";

    /// <summary>The headers to keep.</summary>
    public static List<RateLimitHeader> Headers(HttpResponseHeaders headers, string account, int status, DateTimeOffset at)
    {
        var kept = new List<RateLimitHeader>();
        foreach (var (name, values) in headers)
        {
            var lower = name.ToLowerInvariant();
            if (lower.StartsWith("anthropic-ratelimit-", StringComparison.Ordinal) || lower.StartsWith("anthropic-priority-", StringComparison.Ordinal) || lower == "retry-after")
            {
                kept.Add(new RateLimitHeader { Account = account, Name = lower, Value = string.Join(", ", values), Status = status, ObservedAt = at });
            }
        }

        return kept;
    }

    /// <summary>The plan-usage signals among <paramref name="headers"/> (unified 5h, 7d and per-model weekly windows).</summary>
    public static List<ObservedSignal> Signals(IReadOnlyList<RateLimitHeader> headers, string account, DateTimeOffset at)
    {
        var byName = headers.ToDictionary(static h => h.Name, static h => h.Value, StringComparer.Ordinal);
        var signals = new List<ObservedSignal>();
        foreach (var name in byName.Keys)
        {
            if (!name.StartsWith(Unified, StringComparison.Ordinal) || !name.EndsWith("-utilization", StringComparison.Ordinal))
            {
                continue;
            }

            var claim = name[Unified.Length..^"-utilization".Length]; // 5h, 7d, 7d-sonnet, 7d-opus, overage…
            var (window, model) = claim switch
            {
                "5h" => (WindowKind.FiveHour, (string?)null),
                "7d" => (WindowKind.Weekly, null),
                _ when claim.StartsWith("7d-", StringComparison.Ordinal) => (WindowKind.Model, claim[3..]),
                _ => (WindowKind.Unknown, null),
            };
            if (window == WindowKind.Unknown || !decimal.TryParse(byName[name], NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) || fraction < 0)
            {
                continue;
            }

            var percent = Math.Round(fraction * 100m, 2, MidpointRounding.AwayFromZero);
            DateTimeOffset? resets = byName.TryGetValue($"{Unified}{claim}-reset", out var reset) && long.TryParse(reset, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch) && epoch > 0
                ? DateTimeOffset.FromUnixTimeSeconds(epoch)
                : null;
            signals.Add(new ObservedSignal
            {
                Key = string.Create(CultureInfo.InvariantCulture, $"header:{claim}:{account}:{resets?.ToUnixTimeSeconds()}:{percent}"),
                Kind = SignalKind.Header,
                Window = window,
                Model = model,
                Utilisation = percent,
                ResetsAt = resets,
                ObservedAt = at,
                LastObservedAt = at,
                Source = "proxy " + (account.Length == 0 ? "(no account)" : account),
            });
        }

        return signals;
    }

    /// <summary>
    /// Tells refusals apart: <c>spend_cap</c> (a 429 whose error names the spend limit), <c>quota</c> (another 429: a
    /// rate or plan limit, retried after <c>retry-after</c>), <c>overloaded</c> (529: the service, not the account);
    /// null for any other status.
    /// </summary>
    public static string? Refusal(int status, string? errorCode) => status switch
    {
        429 when errorCode == "enforced_spend_limit_reached" => "spend_cap",
        429 => "quota",
        529 => "overloaded",
        _ => null,
    };
}
