using System.Text.Json;
using Tally.Core.Agents;
using Tally.Core.Storage;

namespace Tally.Cli.App;

/// <summary>
/// The user's defaults from <c>config.json</c>. Every field is optional; flags win over the file. A bad file is
/// reported with its path, the field and the fix, and the defaults are used instead.
/// </summary>
internal sealed record TallyConfig
{
    /// <summary>The IANA time zone reports bucket days in.</summary>
    public string? TimeZone { get; init; }

    /// <summary>The first day of a week in <c>weekly</c>.</summary>
    public DayOfWeek? StartOfWeek { get; init; }

    /// <summary>The default cost mode.</summary>
    public CostMode? CostMode { get; init; }

    /// <summary>Display names for projects, keyed by project path or by its last folder name.</summary>
    public IReadOnlyDictionary<string, string> ProjectAliases { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Regular expressions with a <c>repo</c> group that map a worktree path that no longer exists to its repository.</summary>
    public IReadOnlyList<string>? WorktreePatterns { get; init; }

    /// <summary>
    /// Agent card settings: <c>authMode</c>, <c>billingOverrides</c>, <c>agentLabels</c>, <c>activeMinutes</c>
    /// (project aliases are added by the command from <see cref="ProjectAliases"/>).
    /// </summary>
    public AgentSettings Agents { get; init; } = new();
    /// <summary>Where alerts go.</summary>
    public AlertSettings Alerts { get; init; } = new();

    /// <summary><c>tally serve</c>'s defaults (the <c>serve</c> object).</summary>
    public ServeConfig Serve { get; init; } = new();

    /// <summary>The <c>proxy</c> object: the metering proxy's settings.</summary>
    public ProxyConfig Proxy { get; init; } = new();

    /// <summary>The Admin API's settings (the <c>admin</c> object).</summary>
    public AdminConfig Admin { get; init; } = new();

    /// <summary>Reads the file at <paramref name="path"/>; a missing file is the empty configuration.</summary>
    public static TallyConfig Load(string path, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!File.Exists(path))
        {
            return new TallyConfig();
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            return Read(document.RootElement, path, errors);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            errors.Add($"{path}: cannot be read ({ex.Message}); fix or remove it. Using the defaults.");
            return new TallyConfig();
        }
    }

    private static TallyConfig Read(JsonElement root, string path, ICollection<string> errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: must hold a JSON object. Using the defaults.");
            return new TallyConfig();
        }

        var config = new TallyConfig();
        foreach (var property in root.EnumerateObject())
        {
            var where = $"{path}: \"{property.Name}\"";
            switch (property.Name)
            {
                case "timezone":
                    config = config with { TimeZone = Zone(String(property.Value, where, errors), where, errors) };
                    break;
                case "startOfWeek":
                    config = config with { StartOfWeek = Parse(String(property.Value, where, errors), Options.ParseDayOfWeek, where, errors) };
                    break;
                case "costMode":
                    config = config with { CostMode = Parse(String(property.Value, where, errors), Options.ParseCostMode, where, errors) };
                    break;
                case "projectAliases":
                    config = config with { ProjectAliases = Map(property.Value, where, errors) };
                    break;
                case "worktreePatterns":
                    config = config with { WorktreePatterns = List(property.Value, where, errors) };
                    break;
                case "authMode":
                    config = config with { Agents = config.Agents with { AuthMode = Parse(String(property.Value, where, errors), Options.ParseAuthMode, where, errors) } };
                    break;
                case "billingOverrides":
                    config = config with { Agents = config.Agents with { BillingOverrides = Billing(property.Value, where, errors) } };
                    break;
                case "agentLabels":
                    config = config with { Agents = config.Agents with { Labels = Map(property.Value, where, errors) } };
                    break;
                case "serve":
                    config = config with { Serve = ServeConfig.Read(property.Value, where, errors) };
                    break;
                case "proxy":
                    config = config with { Proxy = ProxyConfig.Read(property.Value, where, errors) };
                    break;
                case "activeMinutes":
                    config = config with { Agents = config.Agents with { ActiveWindow = Minutes(property.Value, where, errors) ?? AgentSettings.DefaultActiveWindow } };
                    break;
                case "admin":
                    config = config with { Admin = AdminConfig.Read(property.Value, where, errors) };
                    break;
                case "alerts":
                    config = config with { Alerts = AlertSettings.Read(property.Value, where, errors) };
                    break;
                default:
                    errors.Add($"{where} is not a setting Tally knows (see docs/configuration.md); it is ignored.");
                    break;
            }
        }

        return config;
    }

    private static T? Parse<T>(string? text, Func<string, T?> parse, string where, ICollection<string> errors)
        where T : struct
    {
        if (text is null)
        {
            return null;
        }

        var value = parse(text);
        if (value is null)
        {
            errors.Add($"{where}: \"{text}\" is not a valid value (see docs/configuration.md); it is ignored.");
        }

        return value;
    }

    private static string? Zone(string? id, string where, ICollection<string> errors)
    {
        if (id is null || Options.FindZone(id) is not null)
        {
            return id;
        }

        errors.Add($"{where}: \"{id}\" is not a time zone this system knows (use an IANA name such as Europe/Paris or UTC); it is ignored.");
        return null;
    }

    private static string? String(JsonElement value, string where, ICollection<string> errors)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        errors.Add($"{where} must be a string; it is ignored.");
        return null;
    }

    private static Dictionary<string, string> Map(JsonElement value, string where, ICollection<string> errors)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{where} must be an object of \"project\": \"alias\" pairs; it is ignored.");
            return map;
        }

        foreach (var pair in value.EnumerateObject())
        {
            if (String(pair.Value, $"{where}.\"{pair.Name}\"", errors) is { Length: > 0 } alias)
            {
                map[pair.Name] = alias;
            }
        }

        return map;
    }

    private static Dictionary<string, BillingSource> Billing(JsonElement value, string where, ICollection<string> errors)
    {
        var map = new Dictionary<string, BillingSource>(StringComparer.Ordinal);
        foreach (var (key, text) in Map(value, where, errors))
        {
            if (Options.ParseBillingSource(text) is { } source)
            {
                map[key] = source;
            }
            else
            {
                errors.Add($"{where}.\"{key}\": \"{text}\" is not subscription or api; it is ignored.");
            }
        }

        return map;
    }

    private static TimeSpan? Minutes(JsonElement value, string where, ICollection<string> errors)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var minutes) && minutes is > 0 and <= 24 * 60)
        {
            return TimeSpan.FromMinutes(minutes);
        }

        errors.Add($"{where} must be a number of minutes between 0 and 1440 (got {value.GetRawText()}); the default (5) is used.");
        return null;
    }

    private static List<string>? List(JsonElement value, string where, ICollection<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{where} must be an array of strings; it is ignored.");
            return null;
        }

        return [.. value.EnumerateArray().Select((item, i) => String(item, $"{where}[{i}]", errors)).OfType<string>()];
    }
}
