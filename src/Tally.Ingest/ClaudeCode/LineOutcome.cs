using Tally.Core.Usage;

namespace Tally.Ingest.ClaudeCode;

/// <summary>What one transcript line gave: a record, a problem, both (counted, with a warning), or neither.</summary>
internal readonly record struct LineOutcome(UsageRecord? Record, string? Problem)
{
    public static LineOutcome Skip => default;

    public static LineOutcome Fail(string reason) => new(null, reason);
}
