namespace Tally.Ingest.Demo;

/// <summary>
/// Writes one main session file: an optional resumed prefix, then turns (a prompt, a burst of API calls seconds
/// apart with their tools, a turn-duration line) separated by think time and now and then by hours of idleness.
/// </summary>
internal sealed class DemoSessionWriter(DemoWorld world)
{
    public void Run(SessionPlan plan)
    {
        DemoRandom rng = world.Rng;
        string sessionId = rng.Uuid();
        var thread = new DemoThread
        {
            SessionId = sessionId,
            Cwd = plan.Cwd,
            Version = plan.Legacy ? "1.0.88" : world.VersionOn(plan.Start),
        };
        CacheSplit split = plan.Legacy ? CacheSplit.Absent
            : rng.Chance(0.12) ? CacheSplit.FiveMinute : CacheSplit.OneHour;
        var context = new DemoContext(rng, split, plan.LongContext);

        using DemoFile file = world.Output.OpenSession(plan.Cwd, sessionId);
        var transcript = new DemoTranscript(file, thread, record: true);
        long history = plan.Resume is null ? 0 : CopyResumed(file, thread, plan.Resume);
        if (plan.LongContext)
        {
            history += rng.Between(185_000L, 230_000L);
        }

        context.Begin(history);
        var conversation = new DemoConversation(world, transcript, context, plan.Model, subagent: false)
        {
            Clock = plan.Start,
        };
        DateTime lastLine = plan.Start;
        for (int turn = 0; turn == 0 || (file.Bytes < plan.Budget && conversation.Clock < plan.StopBy); turn++)
        {
            DateTime? resetAt = RunTurn(plan, transcript, context, conversation, turn == 0);
            transcript.EndTurn();
            lastLine = conversation.Clock;
            conversation.Clock = resetAt is { } reset
                ? reset + DemoTime.Jitter(rng, 60, 1_800)
                : conversation.Clock + ThinkTime(rng);
        }

        if (plan.EndPartial)
        {
            ReadOnlySpan<byte> line = FakeAssistantLine(thread, lastLine + TimeSpan.FromSeconds(3));
            file.WritePartial(line[..(line.Length / 2)]);
        }

        ResumePoint? point = transcript.ToResumePoint(lastLine, world.Text.Prompt());
        if (point is not null)
        {
            world.ResumePoints[plan.Cwd.Path] = point;
        }
    }

    /// <summary>Writes a summary line and the earlier session's last turns, byte for byte; returns their token weight.</summary>
    private long CopyResumed(DemoFile file, DemoThread thread, ResumePoint resume)
    {
        file.WriteLine(world.Lines.Summary(resume.Title, resume.LastUuid));
        foreach (RecordedLine line in resume.Lines)
        {
            file.WriteLine(line.Bytes);
            world.Output.UsageLines += line.HasUsage ? 1 : 0;
        }

        thread.ParentUuid = resume.LastUuid;
        world.Output.ResumedSessions++;
        return world.Rng.Between(15_000L, 60_000L);
    }

    /// <summary>Runs one turn; returns the reset time when the turn hit the usage limit instead.</summary>
    private DateTime? RunTurn(SessionPlan plan, DemoTranscript transcript, DemoContext context, DemoConversation conversation, bool first)
    {
        DemoRandom rng = world.Rng;
        DemoThread thread = transcript.Thread;
        if ((first && plan.ForceMalformed) || (world.Options.IncludeMalformedLines && rng.Chance(0.01)))
        {
            WriteMalformed(transcript, conversation.Clock, all: first && plan.ForceMalformed);
        }

        string promptUuid = rng.Uuid();
        if (!thread.IsLegacyVersion && rng.Chance(0.7))
        {
            transcript.Write(world.Lines.Snapshot(promptUuid, DemoTime.Millis(conversation.Clock), null, null), null);
        }

        string prompt = world.Text.Prompt();
        transcript.Write(world.Lines.User(thread, promptUuid, world.Stamp(conversation.Clock), prompt), promptUuid);
        world.Output.UserPrompts++;
        context.Add((prompt.Length / 3) + rng.Between(0L, 400L));
        DateTime turnStart = conversation.Clock;

        if ((first && plan.ForceLimit) || rng.Chance(0.004))
        {
            conversation.Clock += DemoTime.Jitter(rng, 0.5, 3);
            DateTime hour = new(conversation.Clock.Year, conversation.Clock.Month, conversation.Clock.Day,
                conversation.Clock.Hour, 0, 0, DateTimeKind.Utc);
            DateTime reset = hour.AddHours(rng.Between(1, 5));
            string uuid = rng.Uuid();
            transcript.Write(world.Lines.Limit(thread, uuid, world.Stamp(conversation.Clock), rng.Uuid(), DemoTime.UnixSeconds(reset)), uuid);
            world.Output.LimitLines++;
            return reset;
        }

        int calls = 1 + rng.Next(3) + (rng.Chance(0.5) ? rng.Next(10) : 0);
        if (first && (plan.ForceSubagent || plan.ForceWebSearch))
        {
            calls = Math.Max(calls, 3);
        }

        for (int c = 0; c < calls; c++)
        {
            bool last = c == calls - 1 || conversation.Clock > plan.StopBy + TimeSpan.FromMinutes(45);
            string? forced = first && c == 0 && plan.ForceSubagent ? "Task"
                : first && c == 1 && plan.ForceWebSearch ? "WebSearch"
                : null;
            bool idless = last && ((first && plan.ForceIdless) || (world.Options.IncludeIdlessDuplicates && rng.Chance(0.01)));
            conversation.Call(last && forced is null, forced, straddle: first && c == 0 && plan.ForceStraddle, idless);
            if (last && forced is null)
            {
                break;
            }
        }

        if (thread.IsRecentVersion && rng.Chance(0.6))
        {
            conversation.Clock += DemoTime.Jitter(rng, 0.01, 0.3);
            string uuid = rng.Uuid();
            long ms = (long)(conversation.Clock - turnStart).TotalMilliseconds;
            transcript.Write(world.Lines.System(thread, uuid, world.Stamp(conversation.Clock), "turn_duration", ms), uuid);
        }

        return null;
    }

    /// <summary>A truncated line, a blank line and a line of text: what a crash or a concurrent writer leaves.</summary>
    private void WriteMalformed(DemoTranscript transcript, DateTime clock, bool all)
    {
        DemoRandom rng = world.Rng;
        int kind = rng.Next(3);
        if (all || kind == 0)
        {
            ReadOnlySpan<byte> line = FakeAssistantLine(transcript.Thread, clock);
            transcript.WriteUnrecorded(line[..(int)(line.Length * (0.3 + (0.5 * rng.NextDouble())))]);
            world.Output.MalformedLines++;
        }

        if (all || kind == 1)
        {
            transcript.WriteUnrecorded([]);
            world.Output.MalformedLines++;
        }

        if (all || kind == 2)
        {
            transcript.WriteUnrecorded("Error: ENOSPC: no space left on device, write"u8);
            world.Output.MalformedLines++;
        }
    }

    /// <summary>A complete assistant line for a call that is never booked (only ever written cut short).</summary>
    private ReadOnlySpan<byte> FakeAssistantLine(DemoThread thread, DateTime at)
    {
        DemoRandom rng = world.Rng;
        var call = new DemoCall
        {
            MessageId = rng.Base62Id("msg_01", 22),
            RequestId = rng.Base62Id("req_011C", 20),
            Model = DemoModels.Main[0],
            Input = 3,
            CacheRead = 20_000,
            CacheWrite = 1_500,
            Output = 120,
        };
        var block = new DemoBlock(BlockKind.Text, world.Text.Prose(40));
        call.Blocks.Add(block);
        return world.Lines.Assistant(thread, rng.Uuid(), DemoTime.Millis(at), call, block, call.Output, last: true);
    }

    private static TimeSpan ThinkTime(DemoRandom rng)
    {
        double r = rng.NextDouble();
        return r < 0.70 ? DemoTime.Jitter(rng, 20, 360)
            : r < 0.92 ? DemoTime.Jitter(rng, 360, 3_000)
            : DemoTime.Jitter(rng, 5_400, 21_600);
    }
}
