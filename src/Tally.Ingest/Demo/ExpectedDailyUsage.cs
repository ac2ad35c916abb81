using Tally.Core.Usage;

namespace Tally.Ingest.Demo;

/// <summary>
/// The ground truth for one UTC day and model: what a correct ingester must count after de-duplication
/// (one record per API call, its final usage, dated by its first line; id-less lines once; <c>&lt;synthetic&gt;</c>
/// skipped; a cache write without a usable 5m/1h split counted as 5-minute writes).
/// </summary>
/// <param name="Day">The UTC day.</param>
/// <param name="Model">The model id exactly as written in the transcripts.</param>
/// <param name="Requests">The number of distinct API calls.</param>
/// <param name="Tokens">Their tokens.</param>
/// <param name="WebSearchRequests">Their web searches.</param>
/// <param name="LongContextRequests">How many of them had a prompt (input + cache writes + cache reads) above 200,000.</param>
public sealed record ExpectedDailyUsage(
    DateOnly Day,
    string Model,
    int Requests,
    TokenCounts Tokens,
    int WebSearchRequests,
    int LongContextRequests);
