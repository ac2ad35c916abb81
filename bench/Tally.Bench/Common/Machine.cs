namespace Tally.Bench.Common;

/// <summary>What the machine was doing: timings on a shared machine mean little without its load.</summary>
internal static class Machine
{
    /// <summary>The 1, 5 and 15 minute load averages from <c>/proc/loadavg</c>, or null where there is none.</summary>
    public static string? LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
