namespace Tally.Ingest.Demo;

/// <summary>
/// One agent's conversation in one file (a main session or a subagent): makes API calls one after another, with
/// their content blocks, tool results, compactions and subagents.
/// </summary>
internal sealed class DemoConversation(DemoWorld world, DemoTranscript transcript, DemoContext context, string model, bool subagent)
{
    private readonly DemoCallWriter _writer = new(world);

    public DateTime Clock { get; set; }

    /// <summary>The text of the last response's text block (a subagent's answer to its parent).</summary>
    public string LastText { get; private set; } = "";

    public DemoThread Thread => transcript.Thread;

    /// <summary>Makes one API call and runs the tools it asks for.</summary>
    /// <param name="last">The turn's final answer (text only).</param>
    /// <param name="forcedTool">A tool the call must use.</param>
    /// <param name="straddle">Stream the response across midnight UTC.</param>
    /// <param name="idless">Write it as a legacy line without ids, twice (a final answer only).</param>
    public void Call(bool last, string? forcedTool = null, bool straddle = false, bool idless = false)
    {
        DemoRandom rng = world.Rng;
        Clock += DemoTime.Jitter(rng, 1.2, 9);
        if (context.NeedsCompaction)
        {
            Compact();
        }

        var call = new DemoCall
        {
            MessageId = rng.Base62Id("msg_01", 22),
            RequestId = rng.Base62Id("req_011C", 20),
            Model = model,
            IsIdless = idless,
        };
        long output = AddBlocks(call, last || idless, forcedTool, straddle && !idless);
        context.Charge(call, Clock);
        call.Output = output;
        call.Split = idless ? CacheSplit.Absent : context.Split;
        if (world.Options.IncludeZeroCacheSplit && call.Split != CacheSplit.Absent && call.CacheWrite > 0 && rng.Chance(0.03))
        {
            call.Split = CacheSplit.Zero;
        }

        call.WebSearches = call.ToolUses.Any(static b => b.ToolName == "WebSearch") ? rng.Between(1, 3) : 0;
        call.WriteServerToolUse = call.WebSearches > 0 || (!idless && !Thread.IsLegacyVersion && rng.Chance(0.3));
        call.InferenceGeo = Thread.IsRecentVersion ? "not_available" : null;

        DateTime clock = Clock;
        _writer.Write(transcript, call, ref clock, straddle && !idless);
        Clock = clock;
        context.Answered(output);
        foreach (DemoBlock toolUse in call.ToolUses.ToArray())
        {
            RunTool(toolUse);
        }
    }

    private long AddBlocks(DemoCall call, bool last, string? forcedTool, bool straddle)
    {
        DemoRandom rng = world.Rng;
        DemoText text = world.Text;
        long output = 0;
        if (!call.IsIdless && (straddle || rng.Chance(0.35)))
        {
            long thinking = rng.LogUniform(80L, 3_000L);
            call.Blocks.Add(new DemoBlock(BlockKind.Thinking, text.Prose((int)Math.Clamp(thinking / 4, 8, 120)),
                Id: rng.Base62Id("Eu8B", 120)));
            output += thinking;
        }

        if (last)
        {
            long answer = rng.Chance(0.02) ? rng.Between(8_000L, 24_000L) : rng.LogUniform(60L, 1_800L);
            LastText = text.Prose((int)Math.Clamp(answer / 3, 8, 220));
            call.Blocks.Add(new DemoBlock(BlockKind.Text, LastText));
            return output + answer;
        }

        if (rng.Chance(0.5))
        {
            call.Blocks.Add(new DemoBlock(BlockKind.Text, text.Prose(rng.Between(6, 30))));
            output += rng.Between(15L, 200L);
        }

        double r = rng.NextDouble();
        int tools = forcedTool is not null ? 1 : r < 0.7 ? 1 : r < 0.9 ? 2 : 3;
        for (int i = 0; i < tools; i++)
        {
            DemoBlock toolUse = world.Tools.Pick(Thread.Cwd, subagent, i == 0 ? forcedTool : null);
            if (subagent || toolUse.ToolName != "Task" || i == 0)
            {
                call.Blocks.Add(toolUse);
                output += world.Tools.OutputTokens(toolUse);
            }
        }

        return output;
    }

    private void RunTool(DemoBlock toolUse)
    {
        DemoRandom rng = world.Rng;
        Clock += DemoTime.Jitter(rng, 0.2, 20);
        string result;
        if (toolUse.ToolName == "Task" && !subagent)
        {
            DateTime clock = Clock;
            string prompt = toolUse.Input?.FirstOrDefault(static kv => kv.Key == "prompt").Value ?? "";
            result = new DemoAgentWriter(world).Run(Thread, model, context.Split, prompt, ref clock);
            Clock = clock + DemoTime.Jitter(rng, 0.1, 1);
        }
        else
        {
            result = world.Tools.Result(toolUse, mayBeLarge: !subagent);
        }

        string uuid = rng.Uuid();
        transcript.Write(world.Lines.ToolResult(Thread, uuid, world.Stamp(Clock), toolUse, result), uuid);
        context.AddToolResult(result.Length);
        if (toolUse.ToolName is "Edit" or "Write" && !Thread.IsLegacyVersion && rng.Chance(0.4))
        {
            string file = toolUse.Input?[0].Value ?? "";
            transcript.Write(world.Lines.Snapshot(uuid, DemoTime.Millis(Clock), file, $"{rng.HexId(16)}@v1"), null);
        }
    }

    private void Compact()
    {
        DemoRandom rng = world.Rng;
        Clock += DemoTime.Jitter(rng, 15, 60);
        string boundary = rng.Uuid();
        transcript.Write(world.Lines.System(Thread, boundary, world.Stamp(Clock), "compact_boundary", context.Size), boundary);
        Clock += DemoTime.Jitter(rng, 0.01, 0.2);
        string summary = rng.Uuid();
        string text = "This session is being continued from a previous conversation that ran out of context. "
            + "The conversation is summarized below:\n" + world.Text.Prose(rng.Between(60, 200));
        transcript.Write(world.Lines.User(Thread, summary, world.Stamp(Clock), text, compactSummary: true), summary);
        context.Compact();
    }
}
