using System.Runtime.CompilerServices;

namespace Tally.Cli.Tests.Snapshots;

/// <summary>
/// Approved-file snapshots: text is compared with <c>&lt;TestName&gt;.verified.txt</c> next to the test's source
/// file. On a mismatch, or when nothing is approved yet, the text is written to <c>&lt;TestName&gt;.received.txt</c>
/// and the test fails: review the received file and rename it to <c>.verified.txt</c> to approve it.
/// Line endings and trailing spaces are normalised.
/// </summary>
internal static class Snapshot
{
    /// <summary>Checks <paramref name="actual"/> against the approved snapshot of the calling test.</summary>
    /// <param name="actual">The text to check.</param>
    /// <param name="part">A suffix for a test with several snapshots.</param>
    /// <param name="sourceFile">The test's source file (supplied by the compiler).</param>
    /// <param name="testName">The test's name (supplied by the compiler).</param>
    public static void Match(string actual, string? part = null, [CallerFilePath] string sourceFile = "", [CallerMemberName] string testName = "")
    {
        var name = part is null ? testName : $"{testName}.{part}";
        var directory = SourceDirectory(sourceFile);
        var verified = Path.Combine(directory, name + ".verified.txt");
        var received = Path.Combine(directory, name + ".received.txt");
        var text = Normalize(actual);
        if (File.Exists(verified))
        {
            var expected = Normalize(File.ReadAllText(verified));
            if (expected == text)
            {
                File.Delete(received);
                return;
            }

            File.WriteAllText(received, text);
            Assert.Fail($"""
                Snapshot {name} differs from the approved one, {FirstDifference(expected, text)}.
                Compare:  diff {verified} {received}
                If the new text is right, approve it:  mv {received} {verified}
                """);
        }

        File.WriteAllText(received, text);
        Assert.Fail($"""
            Snapshot {name} has no approved file yet. Review {received}
            and, if every figure is right, approve it:  mv {received} {verified}
            """);
    }

    /// <summary>Unix line endings, no trailing spaces, no trailing blank lines, one final newline.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n').Select(static l => l.TrimEnd());
        return string.Join('\n', lines).TrimEnd('\n') + "\n";
    }

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var left = i < e.Length ? e[i] : "(end of text)";
            var right = i < a.Length ? a[i] : "(end of text)";
            if (left != right)
            {
                return $"first at line {i + 1}:\n  approved: {left}\n  received: {right}";
            }
        }

        return "in line endings only";
    }

    /// <summary>The test source's folder; a path the compiler mapped (<c>/_/…</c>) is resolved from the repository root.</summary>
    private static string SourceDirectory(string sourceFile)
    {
        var directory = Path.GetDirectoryName(sourceFile) ?? string.Empty;
        if (Directory.Exists(directory))
        {
            return directory;
        }

        var relative = sourceFile.Replace('\\', '/');
        var cut = relative.IndexOf("/tests/", StringComparison.Ordinal);
        return cut >= 0
            ? Path.GetDirectoryName(Path.Combine(TestData.RepositoryRoot, relative[(cut + 1)..]))!
            : throw new InvalidOperationException($"The test source folder {directory} does not exist.");
    }
}
