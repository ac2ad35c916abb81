using System.Globalization;

namespace Tally.Bench.Common;

/// <summary>A tiny parser for <c>--name value</c> options and <c>--flag</c> switches; anything unknown is an error.</summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private BenchArgs()
    {
    }

    /// <summary>Parses <paramref name="args"/>; <paramref name="valued"/> take a value, <paramref name="flags"/> do not.</summary>
    /// <exception cref="FormatException">An unknown option, or an option without its value.</exception>
    public static BenchArgs Parse(string[] args, IReadOnlyCollection<string> valued, IReadOnlyCollection<string> flags)
    {
        var parsed = new BenchArgs();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (valued.Contains(name))
            {
                parsed._values[name] = i + 1 < args.Length ? args[++i] : throw new FormatException($"{name} needs a value");
            }
            else if (flags.Contains(name))
            {
                parsed._flags.Add(name);
            }
            else
            {
                throw new FormatException($"unknown option '{name}'");
            }
        }

        return parsed;
    }

    public string? Value(string name) => _values.GetValueOrDefault(name);

    /// <summary>The full path of the existing file <paramref name="name"/> names (it is required).</summary>
    /// <exception cref="FormatException">The option is missing or names no file.</exception>
    public string ExistingFile(string name, string what) =>
        Value(name) is { } path && File.Exists(path) ? Path.GetFullPath(path) : throw new FormatException($"{name} must name {what}");

    /// <summary>The full path of the Claude Code data directory <paramref name="name"/> names (it is required).</summary>
    /// <exception cref="FormatException">The option is missing or names no folder with <c>projects/</c> inside.</exception>
    public string CorpusDirectory(string name) =>
        Value(name) is { } path && Directory.Exists(System.IO.Path.Combine(path, "projects"))
            ? Path.GetFullPath(path)
            : throw new FormatException($"{name} must name a Claude Code data directory (with projects/ inside)");

    public string Value(string name, string fallback) => _values.GetValueOrDefault(name) ?? fallback;

    public bool Flag(string name) => _flags.Contains(name);

    public int Int(string name, int fallback) => Value(name) is { } text
        ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new FormatException($"{name}: '{text}' is not a positive whole number")
        : fallback;

    public long Size(string name, string fallback) => GenerateCommand.ParseSize(Value(name, fallback));

    public DateOnly Day(string name, DateOnly fallback) => Value(name) is { } text
        ? DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day)
            ? day
            : throw new FormatException($"{name}: '{text}' is not a YYYY-MM-DD day")
        : fallback;
}
