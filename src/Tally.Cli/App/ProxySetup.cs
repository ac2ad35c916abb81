using System.Security.Cryptography;
using Tally.Proxy;

namespace Tally.Cli.App;

/// <summary>The metering proxy's options from config.json, the environment and the data folder.</summary>
internal static class ProxySetup
{
    /// <summary>The environment variable the opt-in fallback API key is read from.</summary>
    public const string FallbackKeyVariable = "TALLY_FALLBACK_API_KEY";

    /// <summary>The default port of <c>tally proxy</c> (one above <c>tally serve</c>'s, so both can run).</summary>
    public const int DefaultPort = 7421;

    /// <summary>The file, in the data folder, holding the secret salt of account fingerprints.</summary>
    public const string SaltFile = "proxy-salt";

    /// <summary>The options; problems go to <paramref name="errors"/>.</summary>
    public static ProxyOptions? Options(TallyRun run, string? token, List<string> errors)
    {
        var config = run.Config.Proxy;
        var salt = Salt(run.Paths, errors);
        if (salt is null)
        {
            return null;
        }

        return new ProxyOptions
        {
            Upstream = config.Upstream is { } upstream ? new Uri(upstream.EndsWith('/') ? upstream : upstream + "/") : ProxyOptions.DefaultUpstream,
            AccountSalt = salt,
            PauseWait = TimeSpan.FromSeconds(config.PauseWaitSeconds ?? 120),
            FallbackApiKey = FallbackKey(run, config, errors),
            Token = token,
            Budgets = Budgets(run),
        };
    }

    /// <summary>The budgets the proxy enforces (those in budgets.json), raising their alerts through the run's alert
    /// channels; null when there are none.</summary>
    public static ProxyBudgets? Budgets(TallyRun run) =>
        run.Budgets.Budgets.Count == 0 ? null : new ProxyBudgets(run.Budgets.Budgets, run.Budgets.Settings) { Alerts = run.Budgets.Monitor };

    /// <summary>32 random bytes made once per data folder (mode 0600): fingerprints are stable, and useless elsewhere.</summary>
    private static byte[]? Salt(TallyPaths paths, List<string> errors)
    {
        var path = Path.Combine(paths.DataDirectory, SaltFile);
        try
        {
            if (File.Exists(path))
            {
                var existing = File.ReadAllBytes(path);
                if (existing.Length >= 16)
                {
                    return existing;
                }
            }

            Directory.CreateDirectory(paths.DataDirectory);
            var salt = RandomNumberGenerator.GetBytes(32);
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(path, options))
            {
                stream.Write(salt);
            }

            return salt;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path} (the proxy's fingerprint salt) cannot be read or written: {ex.Message}");
            return null;
        }
    }

    private static string? FallbackKey(TallyRun run, ProxyConfig config, List<string> errors)
    {
        if (run.Environment.Variable(FallbackKeyVariable) is { Length: > 0 } variable)
        {
            return variable.Trim();
        }

        if (config.FallbackApiKeyFile is not { Length: > 0 } file)
        {
            return null;
        }

        var path = TallyPaths.ExpandHome(file, TallyPaths.Home(run.Environment.Variable));
        try
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            {
                errors.Add($"{path} (proxy.fallbackApiKeyFile) can be read by other users; make it private: chmod 600 {path}");
                return null;
            }

            return File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path} (proxy.fallbackApiKeyFile) cannot be read: {ex.Message}");
            return null;
        }
    }
}
