using Tally.Core.Limits;

namespace Tally.Cli.App;

/// <summary>Reads <c>plans.json</c> from the configuration folder, writing the default (estimated) plans there first
/// when asked to and it does not exist yet.</summary>
internal static class PlanLoader
{
    /// <summary>The plan settings; problems with the file go to <paramref name="errors"/>.</summary>
    /// <param name="paths">Where the file is.</param>
    /// <param name="errors">Problems, with the file, the field and the fix.</param>
    /// <param name="create">Write the defaults when the file does not exist (a note about it goes to <paramref name="notes"/>).</param>
    /// <param name="notes">What was done.</param>
    public static PlanSettings Load(TallyPaths paths, ICollection<string> errors, bool create, ICollection<string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(errors);
        var path = paths.PlansFile;
        try
        {
            if (File.Exists(path))
            {
                return PlanFile.Read(File.ReadAllText(path), path, errors);
            }

            if (create)
            {
                Directory.CreateDirectory(paths.ConfigDirectory);
                using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                using (var writer = new StreamWriter(stream))
                {
                    writer.Write(PlanFile.DefaultText);
                    writer.Write('\n');
                }

                notes?.Add($"Wrote the default plan estimates to {path}: set \"plan\" there (pro, max5, max20, team, custom) or pass --plan.");
            }
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process wrote it first: read theirs next time; the defaults are the same.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: cannot be read or written ({ex.Message}); the default plans are used.");
        }

        return PlanFile.Defaults;
    }

    /// <summary>The user's weekly reset as a window holding <paramref name="now"/>, when the file sets one.</summary>
    public static WindowAnchor? WeeklyReset(PlanSettings settings, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.WeeklyReset is { } text && PlanFile.TryWeeklyReset(text, now, zone, out var anchor) ? anchor : null;
    }
}
