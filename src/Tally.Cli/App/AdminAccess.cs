using Tally.Admin;

namespace Tally.Cli.App;

/// <summary>Where the admin key and the API's base URL come from: flags, then environment variables, then config.json.</summary>
internal static class AdminAccess
{
    /// <summary>The environment variable the admin key is read from.</summary>
    public const string KeyVariable = "ANTHROPIC_ADMIN_KEY";

    /// <summary>The environment variable that overrides the API's base URL.</summary>
    public const string BaseUrlVariable = "TALLY_ADMIN_BASE_URL";

    /// <summary>The settings to reach the Admin API with, or null (with the reasons in <paramref name="errors"/>).</summary>
    public static AdminApiSettings? Settings(string? keyFileFlag, string? baseUrlFlag, AdminConfig config, TallyEnvironment environment, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(errors);
        var baseUrl = AdminApiSettings.DefaultBaseUrl;
        if ((baseUrlFlag ?? environment.Variable(BaseUrlVariable)) is { Length: > 0 } text)
        {
            var parsed = AdminConfig.ParseUrl(text);
            if (parsed is null)
            {
                errors.Add($"base URL \"{text}\" ({(baseUrlFlag is null ? BaseUrlVariable : "--base-url")}) is not an absolute http(s) URL without a query.");
            }

            baseUrl = parsed ?? baseUrl;
        }
        else if (config.BaseUrl is { } configured)
        {
            baseUrl = configured;
        }

        var key = Key(keyFileFlag, config, environment, errors);
        if (key is not null && key.Any(static c => c <= ' ' || c > '~'))
        {
            errors.Add("the admin key holds spaces, line breaks or other characters a key does not have; check the variable or file it came from.");
            return null;
        }

        return key is null ? null : new AdminApiSettings { BaseUrl = baseUrl, Key = key };
    }

    private static string? Key(string? keyFileFlag, AdminConfig config, TallyEnvironment environment, List<string> errors)
    {
        string? file = keyFileFlag;
        if (file is null && environment.Variable(KeyVariable) is { Length: > 0 } variable)
        {
            return variable.Trim();
        }

        file ??= config.KeyFile;
        if (file is not { Length: > 0 })
        {
            errors.Add($"no admin key: set {KeyVariable}, or put the key in a file only you can read (chmod 600) and name it with --key-file or \"admin\": {{\"keyFile\": …}} in config.json. Admin keys (sk-ant-admin…) are created by an organization admin in the Console.");
            return null;
        }

        var where = keyFileFlag is null ? "admin.keyFile" : "--key-file";
        var path = TallyPaths.ExpandHome(file, TallyPaths.Home(environment.Variable));
        try
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            {
                errors.Add($"{path} ({where}) can be read by other users; make it private: chmod 600 {path}");
                return null;
            }

            var key = File.ReadAllText(path).Trim();
            if (key.Length == 0)
            {
                errors.Add($"{path} ({where}) is empty; it should hold the admin key.");
                return null;
            }

            return key;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path} ({where}) cannot be read: {ex.Message}");
            return null;
        }
    }
}
