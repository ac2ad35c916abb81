using System.Globalization;
using Tally.Core.Storage;

namespace Tally.Server;

/// <summary>
/// The rate-limit readings the metering proxy stored (the latest header of each name per account): the standard
/// per-minute limits (<c>anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-*</c>, priority tier too) as
/// maximum and remaining, and the subscription's unified windows (<c>-unified-5h</c>, <c>-7d</c>, <c>-7d-&lt;model&gt;</c>)
/// as utilisation. Every reading is account-wide (the headers do not name a model); subjects are account fingerprints.
/// </summary>
public sealed class StoredRateLimitSignals(IUsageStore store) : IRateLimitSignals
{
    private const string Standard = "anthropic-ratelimit-";
    private const string Priority = "anthropic-priority-";
    private const string Unified = "anthropic-ratelimit-unified-";

    /// <inheritdoc />
    public async Task<IReadOnlyList<RateLimitObservation>> ReadAsync(CancellationToken cancellationToken)
    {
        var headers = await store.RateLimitHeadersAsync(cancellationToken);
        var readings = new List<RateLimitObservation>();
        foreach (var account in headers.GroupBy(static h => h.Account, StringComparer.Ordinal))
        {
            var byName = account.ToDictionary(static h => h.Name, StringComparer.Ordinal);
            var subject = account.Key.Length == 0 ? "(no account)" : account.Key;
            foreach (var (name, header) in byName)
            {
                if (name.StartsWith(Unified, StringComparison.Ordinal) && name.EndsWith("-utilization", StringComparison.Ordinal))
                {
                    var claim = name[Unified.Length..^"-utilization".Length];
                    if (!decimal.TryParse(header.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var used))
                    {
                        continue;
                    }

                    DateTimeOffset? resets = byName.TryGetValue($"{Unified}{claim}-reset", out var reset) && long.TryParse(reset.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch)
                        ? DateTimeOffset.FromUnixTimeSeconds(epoch)
                        : null;
                    readings.Add(new RateLimitObservation { Account = true, Subject = subject, Limit = claim, Utilization = used, ResetsAt = resets, ObservedAt = header.ObservedAt, Signal = "proxy" });
                }
                else if (!name.StartsWith(Unified, StringComparison.Ordinal) && name.EndsWith("-limit", StringComparison.Ordinal) && (name.StartsWith(Standard, StringComparison.Ordinal) || name.StartsWith(Priority, StringComparison.Ordinal)))
                {
                    var stem = name[..^"-limit".Length];
                    var limit = (name.StartsWith(Priority, StringComparison.Ordinal) ? "priority-" : string.Empty) + stem[(name.StartsWith(Priority, StringComparison.Ordinal) ? Priority.Length : Standard.Length)..].Replace('-', '_');
                    readings.Add(new RateLimitObservation
                    {
                        Account = true,
                        Subject = subject,
                        Limit = limit,
                        Maximum = Long(header.Value),
                        Remaining = byName.TryGetValue(stem + "-remaining", out var remaining) ? Long(remaining.Value) : null,
                        ResetsAt = byName.TryGetValue(stem + "-reset", out var reset) && DateTimeOffset.TryParse(reset.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null,
                        ObservedAt = header.ObservedAt,
                        Signal = "proxy",
                    });
                }
            }
        }

        return readings;
    }

    private static long? Long(string value) => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
}
