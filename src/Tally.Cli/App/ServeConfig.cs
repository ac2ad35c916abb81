using System.Text.Json;

namespace Tally.Cli.App;

/// <summary>
/// The <c>serve</c> object of <c>config.json</c>: <c>tally serve</c>'s defaults (flags win). The token itself is never
/// written in config.json: <c>tokenFile</c> names a file that holds it, readable by its owner only.
/// </summary>
internal sealed record ServeConfig
{
    /// <summary><c>port</c>.</summary>
    public int? Port { get; init; }

    /// <summary><c>host</c>.</summary>
    public string? Host { get; init; }

    /// <summary><c>tokenFile</c>: a file holding the bearer token (mode 0600 or stricter).</summary>
    public string? TokenFile { get; init; }

    /// <summary><c>readOnly</c>.</summary>
    public bool? ReadOnly { get; init; }

    /// <summary><c>allowedHosts</c>: more names requests may carry in their Host header.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary><c>syncSeconds</c>: how often the full safety sync runs.</summary>
    public int? SyncSeconds { get; init; }

    /// <summary><c>readers</c>: connections to the index that answer read requests side by side.</summary>
    public int? Readers { get; init; }

    /// <summary>Reads the object; every bad field goes to <paramref name="errors"/> and is ignored.</summary>
    public static ServeConfig Read(JsonElement value, string where, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var config = new ServeConfig();
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
                case "port" when v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var port) && port is >= 1 and <= 65535:
                    config = config with { Port = port };
                    break;
                case "host" when v.ValueKind == JsonValueKind.String:
                    config = config with { Host = v.GetString() };
                    break;
                case "tokenFile" when v.ValueKind == JsonValueKind.String:
                    config = config with { TokenFile = v.GetString() };
                    break;
                case "readOnly" when v.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    config = config with { ReadOnly = v.GetBoolean() };
                    break;
                case "allowedHosts" when v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(static h => h.ValueKind == JsonValueKind.String):
                    config = config with { AllowedHosts = [.. v.EnumerateArray().Select(static h => h.GetString()!)] };
                    break;
                case "syncSeconds" when v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var seconds) && seconds is >= 5 and <= 86_400:
                    config = config with { SyncSeconds = seconds };
                    break;
                case "readers" when v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var readers) && readers is >= 1 and <= 16:
                    config = config with { Readers = readers };
                    break;
                case "port" or "host" or "tokenFile" or "readOnly" or "allowedHosts" or "syncSeconds" or "readers":
                    errors.Add($"{at} has a value of the wrong kind or out of range (got {v.GetRawText()}; see docs/configuration.md); it is ignored.");
                    break;
                case "token":
                    errors.Add($"{at}: a token is a secret and is not read from config.json; put it in a file only you can read and name it in \"tokenFile\", or set TALLY_TOKEN.");
                    break;
                default:
                    errors.Add($"{at} is not a setting Tally knows (see docs/configuration.md); it is ignored.");
                    break;
            }
        }

        return config;
    }
}
