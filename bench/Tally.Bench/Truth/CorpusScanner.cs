using System.Security.Cryptography;
using System.Text;

namespace Tally.Bench.Truth;

/// <summary>
/// Reads every transcript of a corpus, independently of Tally, and rebuilds its API calls: one per
/// <c>message.id</c> (its final usage = the line with the most output; dated by its first line), one per distinct
/// id-less line (however often it was written). Small corpora only: it parses every usage line.
/// </summary>
internal static class CorpusScanner
{
    public static IReadOnlyList<ScannedCall> Scan(string corpusDir)
    {
        string projects = Path.Combine(corpusDir, "projects");
        IEnumerable<string> files = Directory.Exists(projects)
            ? Directory.EnumerateFiles(projects, "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : [];
        return ScanLines(files.SelectMany(File.ReadLines));
    }

    /// <summary>The calls of these transcript lines, as if they were one corpus.</summary>
    public static IReadOnlyList<ScannedCall> ScanLines(IEnumerable<string> lines)
    {
        var calls = new Dictionary<string, ScannedCall>(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            if (line.Contains("\"usage\":{", StringComparison.Ordinal) && TryRead(line) is { } usage)
            {
                Add(calls, line, usage);
            }
        }

        return [.. calls.Values.OrderBy(static c => c.First)];
    }

    private static UsageLine? TryRead(string line)
    {
        try
        {
            return UsageLine.Read(line);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static void Add(Dictionary<string, ScannedCall> calls, string line, UsageLine u)
    {
        string key = u.MessageId is { Length: > 0 } id ? "m:" + id
            : "h:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(line)));
        if (!calls.TryGetValue(key, out ScannedCall? call))
        {
            call = new ScannedCall { Key = key, Model = u.Model, First = u.Timestamp, Last = u.Timestamp, IsIdless = u.MessageId is null };
            calls[key] = call;
            Take(call, u);
        }
        else if (call.IsIdless)
        {
            call.Copies++;
        }
        else if (u.Tokens.Output >= call.Tokens.Output)
        {
            Take(call, u);
        }

        if (!u.OddFraction && (call.IsIdless || call.StrictTokens is not { } strict || u.Tokens.Output >= strict.Output))
        {
            call.StrictTokens = u.Tokens;
        }

        call.First = u.Timestamp < call.First ? u.Timestamp : call.First;
        call.Last = u.Timestamp > call.Last ? u.Timestamp : call.Last;
        call.OddFractionLines += u.OddFraction ? 1 : 0;
    }

    private static void Take(ScannedCall call, UsageLine u)
    {
        call.Tokens = u.Tokens;
        call.WebSearches = u.WebSearches;
        call.ServiceTier = u.ServiceTier;
        call.Speed = u.Speed;
        call.InferenceGeo = u.InferenceGeo;
        call.ZeroSplit = u.ZeroSplit;
        call.CostUsd = u.CostUsd;
    }
}
