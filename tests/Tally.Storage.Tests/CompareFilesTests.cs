using Tally.Core.Storage;

namespace Tally.Storage.Tests;

public class CompareFilesTests
{
    [Fact]
    public async Task Files_are_compared_with_their_cursors_by_exact_path_size_and_time()
    {
        await using var index = new IndexHarness();
        var plain = Write(index, "-home-a-app/s1.jsonl", "msg_1");
        var unicode = Write(index, "-home-a-\u00e7a/s\u00e9-\U0001F600.jsonl", "msg_2");
        var grows = Write(index, "-home-a-app/s2.jsonl", "msg_3");
        var gone = Write(index, "-home-a-app/s3.jsonl", "msg_4");
        var back = Write(index, "-home-a-app/s4.jsonl", "msg_5");
        await index.SyncAsync();
        await index.Store.MarkMissingAsync([back], CancellationToken.None);

        File.Delete(gone);
        await File.AppendAllTextAsync(grows, Lines.Assistant("msg_6", 1, 2) + "\n");
        var added = Write(index, "-home-a-app/s5.jsonl", "msg_7");
        FileState[] files = [.. new[] { plain, unicode, grows, plain, added, back }.Select(static p => new FileInfo(p)).Select(static i => new FileState(i.FullName, i.Length, i.LastWriteTimeUtc.Ticks))];
        var comparison = await index.Store.CompareFilesAsync(files, CancellationToken.None);

        // Grown, new and (marked missing but) back are read; the unchanged, including a path given twice, are not.
        Assert.Equal([2, 4, 5], comparison.Changed.Order());
        Assert.Equal([gone], comparison.Unseen);

        // A time that differs by one tick is a change.
        files[1] = files[1] with { ModifiedTicks = files[1].ModifiedTicks + 1 };
        Assert.Contains(1, (await index.Store.CompareFilesAsync(files, CancellationToken.None)).Changed);
    }

    private static string Write(IndexHarness index, string relative, string id)
    {
        var path = index.ProjectFile(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Lines.Assistant(id, 1, 2) + "\n");
        return path;
    }
}
