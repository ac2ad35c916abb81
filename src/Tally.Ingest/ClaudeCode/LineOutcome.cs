using Tally.Core.Limits;
using Tally.Core.Usage;

namespace Tally.Ingest.ClaudeCode;

/// <summary>What one transcript line gave: a record, a problem, both (counted, with a warning), or neither; and a
/// plan-limit signal when the line is a "limit reached" notice.</summary>
internal readonly record struct LineOutcome(UsageRecord? Record, string? Problem, ObservedSignal? Signal = null)
{
    public static LineOutcome Skip => default;

    public static LineOutcome Fail(string reason) => new(null, reason);
}
