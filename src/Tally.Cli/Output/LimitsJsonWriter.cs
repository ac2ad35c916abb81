using Tally.Core.Export;
using Tally.Core.Limits;

namespace Tally.Cli.Output;

/// <summary>Writes <c>tally limits --json</c> (<see cref="LimitsJson"/>, schema in docs/json-schemas.md).</summary>
internal static class LimitsJsonWriter
{
    /// <summary>Writes <paramref name="report"/> to <paramref name="output"/>.</summary>
    public static void Write(LimitsReport report, TimeZoneInfo zone, string plansFile, string catalogVersion, TextWriter output) =>
        JsonOutput.Write(output, json => LimitsJson.Write(json, report, zone, plansFile, catalogVersion));
}
