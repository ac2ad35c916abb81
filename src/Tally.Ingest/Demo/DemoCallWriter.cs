namespace Tally.Ingest.Demo;

/// <summary>
/// Writes one API response the way Claude Code streams it: one line per content block, all sharing
/// <c>message.id</c> and <c>requestId</c>, each repeating usage; early lines carry a placeholder output count.
/// </summary>
internal sealed class DemoCallWriter(DemoWorld world)
{
    /// <summary>Writes the call's lines from <paramref name="clock"/> on, books it, and moves the clock to its last line.</summary>
    /// <param name="t">The transcript to write to.</param>
    /// <param name="call">The call, usage filled in.</param>
    /// <param name="clock">The time of the first line; on return, of the last.</param>
    /// <param name="straddle">Place the lines across midnight UTC (the call must have two blocks or more).</param>
    public void Write(DemoTranscript t, DemoCall call, ref DateTime clock, bool straddle)
    {
        DemoRandom rng = world.Rng;
        if (call.IsIdless)
        {
            WriteIdless(t, call, clock);
            return;
        }

        int n = call.Blocks.Count;
        var times = new DateTime[n];
        times[0] = clock;
        for (int i = 1; i < n; i++)
        {
            times[i] = times[i - 1] + DemoTime.Jitter(rng, 0.05, 2.5);
        }

        DateTime nextMidnight = clock.Date.AddDays(1);
        if (straddle && n > 1)
        {
            Shift(times, nextMidnight - DemoTime.Jitter(rng, 0.2, 0.9) - times[0]);
            if (times[^1] < nextMidnight)
            {
                times[^1] = nextMidnight + DemoTime.Jitter(rng, 0.1, 1.5);
            }
        }
        else if (!world.Options.IncludeMidnightStraddles && times[^1].Date != times[0].Date)
        {
            Shift(times, times[^1].Date - times[0] + DemoTime.Jitter(rng, 0.05, 0.5));
        }

        for (int i = 0; i < n; i++)
        {
            bool last = i == n - 1;
            long output = last ? call.Output : Placeholder(rng, call.Output, i, n);
            string uuid = rng.Uuid();
            t.Write(world.Lines.Assistant(t.Thread, uuid, world.Stamp(times[i]), call, call.Blocks[i], output, last), uuid, true);
        }

        world.Output.UsageLines += n;
        world.Ledger.Book(times[0], call);
        clock = times[^1];
    }

    /// <summary>A legacy line with usage but no ids, written twice byte for byte (one record).</summary>
    private void WriteIdless(DemoTranscript t, DemoCall call, DateTime clock)
    {
        string uuid = world.Rng.Uuid();
        decimal cost = decimal.Round((call.Input + call.CacheWrite) * 0.000003m + (call.CacheRead * 0.0000003m)
            + (call.Output * 0.000015m), 6);
        ReadOnlySpan<byte> line = world.Lines.Legacy(t.Thread, uuid, world.Stamp(clock), call, cost);
        t.Write(line, uuid, true);
        t.Write(line, uuid, true);
        world.Output.UsageLines += 2;
        world.Ledger.Book(clock, call);
    }

    /// <summary>What an early line of a streamed response says: 1, or a partial count below the final one.</summary>
    private static long Placeholder(DemoRandom rng, long final, int index, int count) =>
        rng.Chance(0.6) ? 1 : Math.Max(1, final * (index + 1) / (count + 1));

    private static void Shift(DateTime[] times, TimeSpan by)
    {
        for (int i = 0; i < times.Length; i++)
        {
            times[i] += by;
        }
    }
}
