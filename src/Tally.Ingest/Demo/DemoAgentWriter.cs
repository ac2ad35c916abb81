namespace Tally.Ingest.Demo;

/// <summary>
/// A subagent started by the Task tool: its own file under <c>&lt;session&gt;/subagents/</c>, sidechain lines carrying
/// its <c>agentId</c> and the parent's <c>sessionId</c>, usually on Haiku with 5-minute cache writes.
/// </summary>
internal sealed class DemoAgentWriter(DemoWorld world)
{
    /// <summary>Runs the subagent from <paramref name="clock"/> on and returns its answer.</summary>
    public string Run(DemoThread parent, string parentModel, CacheSplit parentSplit, string prompt, ref DateTime clock)
    {
        DemoRandom rng = world.Rng;
        string agentId = rng.HexId(8);
        var thread = new DemoThread
        {
            SessionId = parent.SessionId,
            Cwd = parent.Cwd,
            Version = parent.Version,
            IsSidechain = true,
            AgentId = agentId,
        };
        CacheSplit split = parentSplit == CacheSplit.Absent ? CacheSplit.Absent
            : rng.Chance(0.7) ? CacheSplit.FiveMinute : CacheSplit.OneHour;
        var context = new DemoContext(rng, split, longContext: false);
        context.Begin(0);
        context.Add(prompt.Length / 3);

        using DemoFile file = world.Output.OpenSubagent(parent.Cwd, parent.SessionId, agentId);
        var transcript = new DemoTranscript(file, thread, record: false);
        clock += DemoTime.Jitter(rng, 0.3, 2);
        string uuid = rng.Uuid();
        transcript.Write(world.Lines.User(thread, uuid, world.Stamp(clock), prompt), uuid);

        var conversation = new DemoConversation(world, transcript, context, DemoModels.ForSubagent(rng, parentModel), subagent: true)
        {
            Clock = clock,
        };
        int calls = rng.Between(2, 8);
        for (int i = 0; i < calls; i++)
        {
            conversation.Call(last: i == calls - 1);
        }

        clock = conversation.Clock;
        return conversation.LastText;
    }
}
