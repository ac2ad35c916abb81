using System.Text;

namespace Tally.Ingest.Demo;

/// <summary>Tool calls and their results: realistic names, inputs, and outputs of realistic sizes.</summary>
internal sealed class DemoTools(DemoWorld world)
{
    private static readonly string[] MainTools = ["Read", "Bash", "Edit", "Grep", "Glob", "Write", "Task", "WebSearch"];
    private static readonly double[] MainWeights = [30, 22, 18, 10, 6, 5, 4, 3];
    private static readonly string[] AgentTools = ["Read", "Grep", "Glob", "Bash"];
    private static readonly double[] AgentWeights = [40, 25, 15, 20];

    private static readonly string[] Commands =
    [
        "npm test", "git status", "git diff --stat", "dotnet build", "pytest -q", "go test ./...", "ls -la src",
        "npm run lint", "terraform plan -no-color", "cargo check",
    ];

    private DemoRandom Rng => world.Rng;

    private DemoText Text => world.Text;

    /// <summary>Picks a tool for the main agent or a subagent; a forced name wins.</summary>
    public DemoBlock Pick(DemoCwd cwd, bool subagent, string? forced)
    {
        string name = forced ?? (subagent
            ? AgentTools[Rng.PickWeighted(AgentWeights)]
            : PickMain());
        string file = $"{cwd.Path}/{Text.File()}";
        KeyValuePair<string, string>[] input = name switch
        {
            "Read" => [new("file_path", file)],
            "Edit" => [new("file_path", file), new("old_string", Text.Code()), new("new_string", Text.Code())],
            "Write" => [new("file_path", file), new("content", Text.Listing(Rng.Between(200, 4_000)))],
            "Bash" => [new("command", Rng.Pick(Commands)), new("description", Text.Prose(Rng.Between(3, 8)))],
            "Grep" => [new("pattern", Rng.Pick(["listOrders", "TODO", "cursor", "RateLimiter", "def load_"])),
                new("path", cwd.Path), new("output_mode", "content")],
            "Glob" => [new("pattern", Rng.Pick(["**/*.ts", "src/**/*.cs", "**/*.py", "**/*.md"]))],
            "Task" => [new("description", Text.Prose(Rng.Between(3, 6))), new("prompt", Text.Prompt()),
                new("subagent_type", Rng.Chance(0.6) ? "general-purpose" : "Explore")],
            "WebSearch" => [new("query", Text.Prose(Rng.Between(3, 7)))],
            _ => [],
        };
        return new DemoBlock(BlockKind.ToolUse, "", name, Rng.Base62Id("toolu_01", 22), input);
    }

    /// <summary>The output tokens a tool call costs the model to write.</summary>
    public long OutputTokens(DemoBlock toolUse) => toolUse.ToolName switch
    {
        "Write" => Rng.LogUniform(300L, 8_000L),
        "Edit" => Rng.LogUniform(150L, 2_500L),
        "Task" => Rng.Between(150L, 600L),
        "WebSearch" => Rng.Between(30L, 80L),
        _ => Rng.Between(40L, 250L),
    };

    /// <summary>What the tool printed. Read and Bash now and then print a very large result (100 KB to 2 MB lines).</summary>
    public string Result(DemoBlock toolUse, bool mayBeLarge)
    {
        string name = toolUse.ToolName ?? "";
        if (world.Options.Lean)
        {
            return name is "Write" ? $"File created successfully at: {toolUse.Input?[0].Value}" : Text.Listing((int)Rng.LogUniform(40L, 400L));
        }

        if (mayBeLarge && name is "Read" or "Bash" && world.Output.Bytes >= world.NextLargeAt)
        {
            // The content is written twice (tool_result and toolUseResult), so each copy is half the line.
            long lineBytes = Rng.LogUniform(100_000L, world.LargeCap);
            world.NextLargeAt = world.Output.Bytes + lineBytes + Rng.LogUniform(800_000L, 3_000_000L);
            return Text.Listing((int)(lineBytes / 2));
        }

        return name switch
        {
            "Read" => Text.Listing((int)Rng.LogUniform(400L, 12_000L)),
            "Bash" => Text.Listing((int)Rng.LogUniform(60L, 4_000L)),
            "Edit" => $"The file {toolUse.Input?[0].Value} has been updated. Here's the result of running `cat -n` "
                + $"on a snippet of the edited file:\n{Text.Listing(Rng.Between(300, 1_500))}",
            "Write" => $"File created successfully at: {toolUse.Input?[0].Value}",
            "Grep" or "Glob" => Paths(Rng.Between(1, 40)),
            "WebSearch" => SearchResults(toolUse.Input?[0].Value ?? ""),
            _ => Text.Prose(Rng.Between(10, 60)),
        };
    }

    private string PickMain()
    {
        while (true)
        {
            string name = MainTools[Rng.PickWeighted(MainWeights)];
            if (name != "WebSearch" || world.Options.IncludeWebSearch)
            {
                return name;
            }
        }
    }

    private string Paths(int count)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            sb.Append(Text.File()).Append(':').Append(Rng.Between(1, 900)).Append(": ").Append(Text.Code()).Append('\n');
        }

        return sb.ToString();
    }

    private string SearchResults(string query)
    {
        var sb = new StringBuilder($"Web search results for query: \"{query}\"\n\nLinks: [");
        int n = Rng.Between(3, 8);
        for (int i = 0; i < n; i++)
        {
            sb.Append(i == 0 ? "" : ",")
                .Append("{\"title\":\"").Append(Text.Prose(Rng.Between(3, 8)).TrimEnd('.'))
                .Append("\",\"url\":\"https://docs.example.com/").Append(Rng.HexId(10)).Append("\"}");
        }

        return sb.Append("]\n\n").Append(Text.Prose(Rng.Between(40, 160))).ToString();
    }
}
