using System.Text;
using Tally.Ingest.ClaudeCode;

namespace Tally.Ingest.Tests.ClaudeCode;

/// <summary>The 64-byte block check of a line's shape must say exactly what the byte-by-byte check says.</summary>
public class LineShapeTests
{
    public static TheoryData<string> Cases() =>
    [
        "{}",
        "  {\"a\":1}  ",
        "{\"a\":\"x\\\"}\"}",
        "{\"a\":\"x\\\\\"}",
        "{\"a\":\"x\\\\\\\"}",
        "{\"a\":[1,{\"b\":\"]}\"}]}",
        "{\"a\":1}}",
        "{\"a\":1} x",
        "{\"a\":1,\\\"b\":2}",
        "[1]",
        "x{}",
        "",
        "   ",
        "{\"a\":\"unterminated",
        "{\"a\":[1,2",
        "{\"a\":\"" + new string('x', 63) + "\\" + "\"\"}",
        "{\"a\":\"" + new string('y', 57) + "\\\\\"}",
        "{" + new string(' ', 70) + "}",
        new string(' ', 64) + "{\"a\":\"b\"}",
        "{\"text\":\"" + string.Concat(Enumerable.Repeat("line \\\"quoted\\\" \\\\ path\\n", 40)) + "\"}",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Blocks_agree_with_the_byte_by_byte_check(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        Assert.Equal(Scalar(bytes, [bytes.Length]), LineShape.Check(bytes));
    }

    /// <summary>Random lines over the characters that matter (brackets, quotes, backslashes, blanks), whole and cut into
    /// random pieces at every kind of boundary (inside an escape, between a backslash and its byte, mid-block).</summary>
    [Fact]
    public void Blocks_agree_with_the_byte_by_byte_check_on_random_lines_and_pieces()
    {
        var random = new Random(20261126);
        var alphabet = "{}[]\"\\ \t\rab:,"u8.ToArray();
        var disagreements = new List<string>();
        for (var n = 0; n < 20_000; n++)
        {
            var length = random.Next(0, n % 10 == 0 ? 600 : 140);
            var bytes = new byte[length];
            for (var i = 0; i < length; i++)
            {
                // Mostly plain bytes, so that strings and objects of some length form.
                bytes[i] = random.Next(3) == 0 ? alphabet[random.Next(alphabet.Length)] : (byte)'a';
            }

            if (length > 0 && random.Next(2) == 0)
            {
                bytes[0] = (byte)'{';
            }

            var cuts = Cuts(random, length);
            var expected = Scalar(bytes, cuts);
            var blocks = default(LineShape.ShapeScan);
            var at = 0;
            foreach (var cut in cuts)
            {
                blocks.Feed(bytes.AsSpan(at, cut));
                at += cut;
            }

            if (blocks.Finish() != expected)
            {
                disagreements.Add(Encoding.UTF8.GetString(bytes) + " / " + string.Join(',', cuts));
            }
        }

        Assert.Empty(disagreements);
    }

    private static List<int> Cuts(Random random, int length)
    {
        var cuts = new List<int>();
        var left = length;
        while (left > 0)
        {
            var cut = random.Next(3) == 0 ? left : Math.Min(left, random.Next(1, 130));
            cuts.Add(cut);
            left -= cut;
        }

        return cuts.Count == 0 ? [0] : cuts;
    }

    private static LineOutcome Scalar(byte[] bytes, IEnumerable<int> cuts)
    {
        var scan = default(LineShape.ShapeScan);
        var at = 0;
        foreach (var cut in cuts)
        {
            scan.FeedScalar(bytes.AsSpan(at, cut));
            at += cut;
        }

        return scan.Finish();
    }
}
