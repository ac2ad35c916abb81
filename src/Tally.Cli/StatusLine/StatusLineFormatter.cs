using System.Globalization;
using System.Text;
using Tally.Cli.Output;

namespace Tally.Cli.StatusLine;

/// <summary>
/// Lays a <see cref="StatusSnapshot"/> out as one line, ccusage's segments first so its users feel at home:
/// <c>🤖 Opus 4.6 | 💰 $0.31 session / $1.20 today / $0.80 block (2h 15m left) | 🔥 $0.27/hr | 🧠 150,000 (75% of 200k) | ⏳ 5h 42% · 7d 12%</c>.
/// Colour (utilisation and context: green, yellow from 70%, red from 90%) only when asked for.
/// </summary>
internal static class StatusLineFormatter
{
    /// <summary>The line (no newline).</summary>
    public static string Format(StatusSnapshot s, DateTimeOffset now, TimeZoneInfo zone, bool colour)
    {
        ArgumentNullException.ThrowIfNull(s);
        var parts = new List<string> { "🤖 " + (string.IsNullOrWhiteSpace(s.Model) ? "Claude" : s.Model.Trim()) };
        var money = new StringBuilder("💰 ");
        money.Append(s.SessionCostUsd is { } session ? (s.SessionCostIsClientEstimate ? "~" : string.Empty) + Output.Format.Usd(session) : "$-").Append(" session");
        if (s.TodayCostUsd is { } today)
        {
            money.Append(" / ").Append(Output.Format.Usd(today)).Append(" today");
        }

        if (s.BlockCostUsd is { } block)
        {
            money.Append(" / ").Append(Output.Format.Usd(block)).Append(" block");
            if (s.BlockLeft is { } left)
            {
                money.Append(" (").Append(TimeText.Duration(left)).Append(" left)");
            }
        }
        else if (s.NoActiveBlock)
        {
            money.Append(" / no active block");
        }

        parts.Add(money.ToString());
        if (s.CostPerHour is { } rate)
        {
            parts.Add("🔥 " + Output.Format.Usd(rate) + "/hr");
        }

        if (s.ContextPercent is { } percent)
        {
            var tokens = s.ContextTokens is { } t ? Output.Format.Count(t) + " " : string.Empty;
            var of = s.ContextWindow is { } w ? " of " + Size(w) : string.Empty;
            parts.Add("🧠 " + tokens + "(" + Paint(Whole(percent) + "%", percent, colour) + of + ")");
        }

        if (s.FiveHour is not null || s.SevenDay is not null)
        {
            var limits = new List<string>();
            if (s.FiveHour is { } five)
            {
                limits.Add("5h " + Paint(TimeText.Percent(five.UsedPercent), five.UsedPercent, colour) + (five.ResetsAt is { } r && r > now ? " (resets " + TimeText.Near(r, now, zone) + ")" : string.Empty));
            }

            if (s.SevenDay is { } seven)
            {
                limits.Add("7d " + Paint(TimeText.Percent(seven.UsedPercent), seven.UsedPercent, colour));
            }

            parts.Add("⏳ " + string.Join(" · ", limits));
        }

        if (s.Note is { } note)
        {
            parts.Add(note);
        }

        return string.Join(" | ", parts);
    }

    private static string Whole(decimal percent) => Math.Round(percent, 0, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture);

    private static string Size(long tokens) => tokens >= 1_000_000 && tokens % 1_000_000 == 0
        ? (tokens / 1_000_000).ToString(CultureInfo.InvariantCulture) + "M"
        : tokens >= 1000 && tokens % 1000 == 0 ? (tokens / 1000).ToString(CultureInfo.InvariantCulture) + "k" : Output.Format.Count(tokens);

    private static string Paint(string text, decimal percent, bool colour)
    {
        if (!colour)
        {
            return text;
        }

        var code = percent >= 90m ? "31" : percent >= 70m ? "33" : "32";
        return $"\u001b[{code}m{text}\u001b[0m";
    }
}
