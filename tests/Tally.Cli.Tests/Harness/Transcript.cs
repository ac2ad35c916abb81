using System.Text.Json;

namespace Tally.Cli.Tests.Harness;

/// <summary>Builds Claude Code transcript lines for tests that need data the sample does not have.</summary>
internal static class Transcript
{
    /// <summary>One assistant line with usage (a billed call), as Claude Code writes it.</summary>
    public static string Assistant(string session, string cwd, string branch, string messageId, DateTimeOffset at, long input = 10, long output = 100, string model = "claude-sonnet-4-5-20250929", string? agentId = null)
    {
        var line = new Dictionary<string, object?>
        {
            ["parentUuid"] = null,
            ["isSidechain"] = agentId is not null,
            ["userType"] = "external",
            ["cwd"] = cwd,
            ["sessionId"] = session,
            ["version"] = "2.1.63",
            ["gitBranch"] = branch,
            ["type"] = "assistant",
            ["message"] = new Dictionary<string, object?>
            {
                ["id"] = messageId,
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = model,
                ["content"] = Array.Empty<object>(),
                ["usage"] = new Dictionary<string, object?>
                {
                    ["input_tokens"] = input,
                    ["output_tokens"] = output,
                    ["cache_creation_input_tokens"] = 0,
                    ["cache_read_input_tokens"] = 0,
                },
            },
            ["requestId"] = "req_" + messageId,
            ["uuid"] = Guid.NewGuid().ToString(),
            ["timestamp"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (agentId is not null)
        {
            line["agentId"] = agentId;
        }

        return JsonSerializer.Serialize(line);
    }
}
