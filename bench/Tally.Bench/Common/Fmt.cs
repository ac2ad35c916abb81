using System.Globalization;

namespace Tally.Bench.Common;

/// <summary>Number formats for the tables: invariant culture, signed deltas, a dot for "no difference".</summary>
internal static class Fmt
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Delta(long value) => value == 0 ? "·" : value.ToString("+#,0;-#,0", Inv);

    public static string Delta(decimal value, int decimals = 3) =>
        Math.Round(value, decimals) == 0 ? "·" : value.ToString("+0." + new string('0', decimals) + ";-0." + new string('0', decimals), Inv);

    public static string Usd(decimal value) => value.ToString("0.00", Inv);

    public static string Usd4(decimal value) => value.ToString("0.0000", Inv);

    public static string Count(long value) => value.ToString("#,0", Inv);

    public static string Seconds(double seconds) => seconds.ToString(seconds < 10 ? "0.000" : "0.00", Inv);

    public static string Mb(long? bytes) => bytes is { } b ? (b / 1_048_576.0).ToString("0.0", Inv) : "-";

    public static string Ratio(double? value) => value is { } v ? v.ToString("0.00", Inv) + "x" : "-";

    public static string Inv0(FormattableString text) => text.ToString(Inv);
}
