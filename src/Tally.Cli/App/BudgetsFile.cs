using Tally.Core.Budgets;

namespace Tally.Cli.App;

/// <summary>Reads and writes <c>budgets.json</c> (format: <see cref="BudgetFile"/>). A write replaces the file in one
/// rename, so a reader never sees half of it.</summary>
internal static class BudgetsFile
{
    /// <summary>The budgets in the file; a missing file holds none. Problems go to <paramref name="errors"/>.</summary>
    public static IReadOnlyList<Budget> Load(string path, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            return BudgetFile.Read(File.ReadAllText(path), path, errors);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: cannot be read ({ex.Message}). No budget is checked.");
            return [];
        }
    }

    /// <summary>Writes <paramref name="budgets"/> to the file.</summary>
    public static void Save(string path, IEnumerable<Budget> budgets)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".budgets.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temporary, BudgetFile.Write(budgets));
        File.Move(temporary, path, overwrite: true);
    }
}
