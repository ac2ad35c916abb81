using System.Text;
using Tally.Ingest.ClaudeCode;
using Tally.Ingest.Sync;

namespace Tally.Ingest.Tests.ClaudeCode;

public class PrefixHashTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 10)]
    [InlineData(200, 100)]
    [InlineData(2_000, 900)]
    [InlineData(40, 60_000)]
    public void Hashes_taken_while_reading_equal_the_cursors_fingerprint_read_back_from_the_file(int lines, int lineLength)
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "t.jsonl");
        var random = new Random(lines * 31 + lineLength);
        var text = new StringBuilder();
        for (var i = 0; i < lines; i++)
        {
            text.Append("{\"x\":\"").Append(new string((char)('a' + random.Next(26)), random.Next(1, lineLength + 1))).Append("\"}").Append(i % 3 == 0 ? "\r\n" : "\n");
        }

        text.Append("{\"half\":"); // a half-written last line is not consumed, so not hashed
        File.WriteAllText(path, text.ToString());
        using var stream = File.OpenRead(path);
        using var reader = new JsonlLineReader(stream, 0, 0);
        while (reader.TryReadLine(out _))
        {
            if (reader.Offset <= JsonlLineReader.PrefixLimit)
            {
                Assert.Equal(FileIngester.Hashes(stream, reader.Offset), reader.PrefixHashes);
            }
            else
            {
                Assert.Null(reader.PrefixHashes);
            }
        }

        Assert.Equal(reader.Offset <= JsonlLineReader.PrefixLimit ? FileIngester.Hashes(stream, reader.Offset) : null, reader.PrefixHashes);
    }

    [Fact]
    public void A_reader_that_starts_past_the_files_start_leaves_the_hashing_to_its_caller()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "t.jsonl");
        File.WriteAllText(path, "{\"a\":1}\n{\"b\":2}\n");
        using var stream = File.OpenRead(path);
        using var reader = new JsonlLineReader(stream, 8, 1);
        Assert.True(reader.TryReadLine(out _));
        Assert.Null(reader.PrefixHashes);
    }
}
