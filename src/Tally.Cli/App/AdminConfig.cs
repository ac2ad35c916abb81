using System.Text.Json;

namespace Tally.Cli.App;

/// <summary>
/// The <c>admin</c> object of <c>config.json</c>: where the Admin API is and where its key is kept. The key itself is
/// never written in config.json: <c>keyFile</c> names a file that holds it, readable by its owner only.
/// </summary>
internal sealed record AdminConfig
{
    /// <summary><c>baseUrl</c>: the API's root (default https://api.anthropic.com).</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary><c>keyFile</c>: a file holding the admin key (mode 0600 or stricter).</summary>
    public string? KeyFile { get; init; }

    /// <summary><c>claudeCodeWorkspaces</c>: the workspaces (ids or names) whose spend is Claude Code's (default: the one
    /// named "Claude Code").</summary>
    public IReadOnlyList<string> ClaudeCodeWorkspaces { get; init; } = [];

    /// <summary>Reads the object; every bad field goes to <paramref name="errors"/> and is ignored.</summary>
    public static AdminConfig Read(JsonElement value, string where, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var config = new AdminConfig();
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{where} must be an object (see docs/configuration.md); it is ignored.");
            return config;
        }

        foreach (var property in value.EnumerateObject())
        {
            var at = $"{where}.\"{property.Name}\"";
            var v = property.Value;
            switch (property.Name)
            {
                case "baseUrl" when v.ValueKind == JsonValueKind.String && ParseUrl(v.GetString()) is { } url:
                    config = config with { BaseUrl = url };
                    break;
                case "keyFile" when v.ValueKind == JsonValueKind.String:
                    config = config with { KeyFile = v.GetString() };
                    break;
                case "claudeCodeWorkspaces" when v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(static h => h.ValueKind == JsonValueKind.String):
                    config = config with { ClaudeCodeWorkspaces = [.. v.EnumerateArray().Select(static h => h.GetString()!)] };
                    break;
                case "baseUrl" or "keyFile" or "claudeCodeWorkspaces":
                    errors.Add($"{at} has a value of the wrong kind (got {v.GetRawText()}; see docs/configuration.md); it is ignored.");
                    break;
                case "key" or "adminKey":
                    errors.Add($"{at}: a key is a secret and is not read from config.json; put it in a file only you can read and name it in \"keyFile\", or set ANTHROPIC_ADMIN_KEY.");
                    break;
                default:
                    errors.Add($"{at} is not a setting Tally knows (see docs/configuration.md); it is ignored.");
                    break;
            }
        }

        return config;
    }

    /// <summary>An absolute http(s) URL ending in '/', or null.</summary>
    public static Uri? ParseUrl(string? text) =>
        Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp) && string.IsNullOrEmpty(url.Query)
            ? new Uri(url.AbsoluteUri.TrimEnd('/') + "/")
            : null;
}
