using System.Text.Json;

namespace Tally.Cli.StatusLine;

/// <summary>One of the status line's <c>rate_limits</c> windows.</summary>
/// <param name="UsedPercent"><c>used_percentage</c> (0–100).</param>
/// <param name="ResetsAt"><c>resets_at</c> (epoch seconds in the input).</param>
internal sealed record RateLimit(decimal UsedPercent, DateTimeOffset? ResetsAt)
{
    /// <summary>The window named <paramref name="name"/> under <paramref name="limits"/>, when it has a usable percentage.</summary>
    public static RateLimit? Read(JsonElement limits, string name)
    {
        if (StatusInput.Object(limits, name) is not { } window || StatusInput.Number(window, "used_percentage") is not { } used || used > 1000m)
        {
            return null;
        }

        // Epoch seconds as documented; a value too large for seconds is taken as milliseconds.
        DateTimeOffset? resets = StatusInput.Number(window, "resets_at") switch
        {
            > 0m and < 100_000_000_000m and var seconds => DateTimeOffset.FromUnixTimeSeconds((long)seconds),
            >= 100_000_000_000m and < 253_402_300_799_000m and var milliseconds => DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds),
            _ => null,
        };

        return new RateLimit(used, resets);
    }
}
