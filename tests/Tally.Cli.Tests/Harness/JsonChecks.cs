using System.Text.Json;

namespace Tally.Cli.Tests.Harness;

/// <summary>Small helpers for reading report JSON in assertions.</summary>
internal static class JsonChecks
{
    /// <summary>An object's property names, in order.</summary>
    public static List<string> Names(JsonElement element) => [.. element.EnumerateObject().Select(static p => p.Name)];

    /// <summary>An array of strings.</summary>
    public static List<string?> Strings(JsonElement array) => [.. array.EnumerateArray().Select(static e => e.GetString())];

    /// <summary>The four token counts of a row, and that <c>totalTokens</c> is their sum.</summary>
    public static void AssertTokens(JsonElement row, long input, long output, long cacheCreation, long cacheRead)
    {
        Assert.Equal(input, row.GetProperty("inputTokens").GetInt64());
        Assert.Equal(output, row.GetProperty("outputTokens").GetInt64());
        Assert.Equal(cacheCreation, row.GetProperty("cacheCreationTokens").GetInt64());
        Assert.Equal(cacheRead, row.GetProperty("cacheReadTokens").GetInt64());
        Assert.Equal(input + output + cacheCreation + cacheRead, row.GetProperty("totalTokens").GetInt64());
    }

    /// <summary><c>totals.totalCost</c>.</summary>
    public static decimal TotalCost(JsonElement report) => report.GetProperty("totals").GetProperty("totalCost").GetDecimal();
}
