using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Tally.Core.Agents;

namespace Tally.Proxy;

/// <summary>Who made a proxied call: the agent, the Claude Code session, and the credential's billing source and
/// account fingerprint (the credential itself is never kept).</summary>
internal sealed record CallIdentity(string? Agent, string? SessionId, string? ClaudeAgentId, BillingSource Billing, string Account)
{
    public const string AgentHeader = "x-tally-agent";
    public const string TokenHeader = "x-tally-token";
    public const string SessionHeader = "x-claude-code-session-id";
    public const string ClaudeAgentHeader = "x-claude-code-agent-id";

    /// <summary>The agent: the path's name, else <c>x-tally-agent</c>, else Claude Code's agent id header.</summary>
    public static CallIdentity Of(HttpRequest request, string? pathAgent, byte[] salt)
    {
        var headers = request.Headers;
        var claudeAgent = Header(headers, ClaudeAgentHeader) is { Length: <= 128 } id ? id : null;
        var agent = pathAgent ?? Header(headers, AgentHeader) ?? claudeAgent;
        var (billing, secret) = Credential(headers);
        return new CallIdentity(agent, Header(headers, SessionHeader), claudeAgent, billing, secret is null ? string.Empty : Fingerprint(salt, secret));
    }

    /// <summary>
    /// An <c>x-api-key</c> is the API; so is a bearer token that is an API key (<c>sk-ant-api…</c>: the official C# SDK
    /// sends keys that way); any other bearer token is an OAuth token, a subscription.
    /// </summary>
    public static (BillingSource Billing, string? Secret) Credential(IHeaderDictionary headers)
    {
        if (Header(headers, "x-api-key") is { } key)
        {
            return (BillingSource.Api, key);
        }

        var authorization = headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || authorization.Length <= 7)
        {
            return (BillingSource.Unknown, null);
        }

        var token = authorization[7..].Trim();
        return (token.StartsWith("sk-ant-api", StringComparison.Ordinal) ? BillingSource.Api : BillingSource.Subscription, token);
    }

    /// <summary><c>acct_</c> and 16 hex digits of HMAC-SHA256(salt, secret): stable per credential, useless without the salt.</summary>
    public static string Fingerprint(byte[] salt, string secret)
    {
        var hash = HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(secret));
        return "acct_" + Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    /// <summary>True when <paramref name="name"/> is a usable agent name: 1–64 letters, digits, <c>.</c>, <c>_</c>, <c>-</c>.</summary>
    public static bool ValidAgent(string name) =>
        name.Length is > 0 and <= 64 && name.All(static c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static string? Header(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.ToString() is { Length: > 0 } value ? value.Trim() : null;
}
