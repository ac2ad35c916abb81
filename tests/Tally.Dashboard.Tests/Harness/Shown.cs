using System.Globalization;
using System.Text.Json;

namespace Tally.Dashboard.Tests.Harness;

/// <summary>
/// How the page shows the API's figures, written independently of the page's JavaScript: money in USD with cents up
/// to $100 and without above, thousands separators, rates as percentages with one decimal. The API's numbers are read
/// as exact decimals; .NET formats decimals rounding half away from zero, as the page does.
/// </summary>
public static class Shown
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Money(decimal value)
    {
        var text = Math.Abs(value) > 100m ? Math.Abs(value).ToString("N0", Invariant) : Math.Abs(value).ToString("N2", Invariant);
        return (value < 0 && text.Any(static c => c is >= '1' and <= '9') ? "-" : string.Empty) + "$" + text;
    }

    public static string Money(JsonElement value) => Money(value.GetDecimal());

    public static string Integer(JsonElement value) => value.GetInt64().ToString("N0", Invariant);

    public static string Rate(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null ? "—" : (value.GetDecimal() * 100m).ToString("N1", Invariant) + "%";

    public static string Calls(JsonElement totals) =>
        $"cloud {Integer(totals.GetProperty("calls").GetProperty("cloud"))} · local {Integer(totals.GetProperty("calls").GetProperty("local"))}";
}
