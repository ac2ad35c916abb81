using System.Globalization;

namespace Tally.Cli.Output;

/// <summary>How numbers look in tables: invariant, with thousands separators.</summary>
internal static class Format
{
    /// <summary>A count: <c>1,234,567</c>.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Dollars to the cent: <c>$1,234.57</c>; a non-zero amount under a cent shows as <c>&lt;$0.01</c>.</summary>
    public static string Usd(decimal value) =>
        value is > 0m and < 0.005m ? "<$0.01" : "$" + Math.Round(value, 2, MidpointRounding.AwayFromZero).ToString("N2", CultureInfo.InvariantCulture);

    /// <summary>A model id shortened for a narrow column: no <c>claude-</c> prefix, no date suffix.</summary>
    public static string ShortModel(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var name = model.StartsWith("claude-", StringComparison.Ordinal) ? model["claude-".Length..] : model;
        var dash = name.LastIndexOf('-');
        return dash > 0 && name.Length - dash == 9 && name.AsSpan(dash + 1).ContainsAnyExceptInRange('0', '9') == false ? name[..dash] : name;
    }
}
