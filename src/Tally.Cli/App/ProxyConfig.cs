using System.Text.Json;

namespace Tally.Cli.App;

/// <summary>
/// The <c>proxy</c> object of <c>config.json</c>: the metering proxy's settings (<c>tally serve</c> and
/// <c>tally proxy</c>). A fallback API key is never written in config.json: <c>fallbackApiKeyFile</c> names a file that
/// holds it, readable by its owner only (or set <c>TALLY_FALLBACK_API_KEY</c>).
/// </summary>
internal sealed record ProxyConfig
{
    /// <summary><c>enabled</c>: false keeps <c>tally serve</c> from mapping the proxy (default true).</summary>
    public bool? Enabled { get; init; }

    /// <summary><c>upstream</c>: where requests go (default Anthropic's API, https://api.anthropic.com).</summary>
    public string? Upstream { get; init; }

    /// <summary><c>port</c>: <c>tally proxy</c>'s port (default 7421).</summary>
    public int? Port { get; init; }

    /// <summary><c>pauseWaitSeconds</c>: how long a paused agent's request is held before it is refused.</summary>
    public int? PauseWaitSeconds { get; init; }

    /// <summary><c>fallbackApiKeyFile</c>: opt-in; a subscription request refused for quota is retried once with it.</summary>
    public string? FallbackApiKeyFile { get; init; }

    /// <summary>Reads the object; every bad field goes to <paramref name="errors"/> and is ignored.</summary>
    public static ProxyConfig Read(JsonElement value, string where, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var config = new ProxyConfig();
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
                case "enabled" when v.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    config = config with { Enabled = v.GetBoolean() };
                    break;
                case "upstream" when v.ValueKind == JsonValueKind.String && Uri.TryCreate(v.GetString(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.Query):
                    config = config with { Upstream = v.GetString() };
                    break;
                case "port" when v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var port) && port is >= 1 and <= 65535:
                    config = config with { Port = port };
                    break;
                case "pauseWaitSeconds" when v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var seconds) && seconds is >= 1 and <= 3600:
                    config = config with { PauseWaitSeconds = seconds };
                    break;
                case "fallbackApiKeyFile" when v.ValueKind == JsonValueKind.String:
                    config = config with { FallbackApiKeyFile = v.GetString() };
                    break;
                case "enabled" or "upstream" or "port" or "pauseWaitSeconds" or "fallbackApiKeyFile":
                    errors.Add($"{at} has a value of the wrong kind or out of range (got {v.GetRawText()}; see docs/configuration.md); it is ignored.");
                    break;
                case "fallbackApiKey" or "apiKey":
                    errors.Add($"{at}: an API key is a secret and is not read from config.json; put it in a file only you can read and name it in \"fallbackApiKeyFile\", or set TALLY_FALLBACK_API_KEY.");
                    break;
                default:
                    errors.Add($"{at} is not a setting Tally knows (see docs/configuration.md); it is ignored.");
                    break;
            }
        }

        return config;
    }
}
