using Tally.Core.Usage;

namespace Tally.Ingest.Demo;

/// <summary>The ground truth: each distinct API call booked once, on the UTC day of its first line.</summary>
internal sealed class DemoLedger
{
    private readonly Dictionary<(DateOnly Day, string Model), Entry> _entries = [];

    public void Book(DateTime firstLineUtc, DemoCall call)
    {
        var key = (DateOnly.FromDateTime(firstLineUtc), call.Model);
        if (!_entries.TryGetValue(key, out Entry? entry))
        {
            entry = new Entry();
            _entries[key] = entry;
        }

        entry.Requests++;
        entry.Tokens += call.Tokens;
        entry.WebSearches += call.WebSearches;
        if (call.Prompt > 200_000)
        {
            entry.LongContext++;
        }
    }

    public IReadOnlyList<ExpectedDailyUsage> ToList() => _entries
        .OrderBy(static kv => kv.Key.Day)
        .ThenBy(static kv => kv.Key.Model, StringComparer.Ordinal)
        .Select(static kv => new ExpectedDailyUsage(
            kv.Key.Day, kv.Key.Model, kv.Value.Requests, kv.Value.Tokens, kv.Value.WebSearches, kv.Value.LongContext))
        .ToArray();

    private sealed class Entry
    {
        public int Requests { get; set; }

        public TokenCounts Tokens { get; set; }

        public int WebSearches { get; set; }

        public int LongContext { get; set; }
    }
}
