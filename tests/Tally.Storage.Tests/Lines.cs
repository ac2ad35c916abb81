using System.Globalization;

namespace Tally.Storage.Tests;

/// <summary>Transcript lines shaped like Claude Code's, for tests.</summary>
public static class Lines
{
    public static string Assistant(string? id, long input, long output, string session = "s1", bool sidechain = false, string at = "2026-11-20T09:50:04.000Z", string model = "claude-sonnet-4-5-20250929", string? uuid = null, long cacheRead = 1000, long write1h = 500, string cwd = "/home/a/app") =>
        string.Create(CultureInfo.InvariantCulture, $$$"""{"parentUuid":null,"isSidechain":{{{(sidechain ? "true" : "false")}}},"userType":"external","cwd":"{{{cwd}}}","sessionId":"{{{session}}}","version":"2.0.14","gitBranch":"main","message":{"model":"{{{model}}}",{{{(id is null ? "" : $"\"id\":\"{id}\",")}}}"type":"message","role":"assistant","content":[{"type":"text","text":"ok"}],"stop_reason":null,"usage":{"input_tokens":{{{input}}},"cache_creation_input_tokens":{{{write1h}}},"cache_read_input_tokens":{{{cacheRead}}},"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":{{{write1h}}}},"output_tokens":{{{output}}},"service_tier":"standard"}},"requestId":"req_{{{id}}}","type":"assistant","uuid":"{{{uuid ?? Guid.NewGuid().ToString()}}}","timestamp":"{{{at}}}"}""");

    public static string User(string session = "s1") =>
        $$$"""{"parentUuid":null,"isSidechain":false,"cwd":"/home/a/app","sessionId":"{{{session}}}","type":"user","message":{"role":"user","content":"go"},"uuid":"{{{Guid.NewGuid()}}}","timestamp":"2026-11-20T09:50:00.000Z"}""";

    /// <summary>A limit notice as Claude Code writes it: a synthetic assistant line flagged as an API error.</summary>
    public static string LimitNotice(string text, string at, string uuid, string session = "s1") =>
        $$$"""{"parentUuid":null,"isSidechain":false,"cwd":"/home/a/app","sessionId":"{{{session}}}","version":"2.1.90","message":{"id":"{{{Guid.NewGuid()}}}","type":"message","role":"assistant","model":"<synthetic>","content":[{"type":"text","text":"{{{text}}}"}],"stop_reason":"stop_sequence","usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}},"isApiErrorMessage":true,"type":"assistant","uuid":"{{{uuid}}}","timestamp":"{{{at}}}"}""";

    /// <summary>A limit notice written as a system line.</summary>
    public static string SystemNotice(string text, string at, string uuid) =>
        $$$"""{"parentUuid":null,"isSidechain":false,"cwd":"/home/a/app","sessionId":"s1","type":"system","subtype":"informational","content":"{{{text}}}","level":"warning","uuid":"{{{uuid}}}","timestamp":"{{{at}}}"}""";

    /// <summary>A user prompt with the given text.</summary>
    public static string UserSays(string text, string at) =>
        $$$"""{"parentUuid":null,"isSidechain":false,"cwd":"/home/a/app","sessionId":"s1","type":"user","message":{"role":"user","content":"{{{text}}}"},"uuid":"{{{Guid.NewGuid()}}}","timestamp":"{{{at}}}"}""";
}
