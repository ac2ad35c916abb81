using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tally.Cli.Output;

namespace Tally.Cli.Tests.Output;

/// <summary>A JSON document is printed a chunk at a time as it is written, with the same characters as the whole
/// document decoded at once, whatever character a chunk ends in the middle of.</summary>
public class JsonOutputTests
{
    // Characters of one to three UTF-8 bytes, so chunk ends fall inside each kind (characters beyond the basic plane
    // are written escaped, as ASCII).
    private static readonly string[] Texts = ["plain", "café", "€ and ✓", "中文 😀", "\"quoted\" + 'apostrophe'", "line\nbreak", "<tag>&"];
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void A_document_of_megabytes_is_printed_in_chunks_with_the_same_text_as_a_whole_decode(int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, 40_000).Select(i => Texts[random.Next(Texts.Length)] + new string('x', random.Next(0, 40)) + i).ToList();
        void Write(Utf8JsonWriter json)
        {
            json.WriteStartObject();
            json.WriteStartArray("rows");
            foreach (var value in values)
            {
                json.WriteStartObject();
                json.WriteString("text", value);
                json.WriteNumber("cost", 1.25m);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        var output = new RecordingWriter();
        JsonOutput.Write(output, Write);

        var expected = Whole(Write) + output.NewLine;
        Assert.True(expected.Length > 2_000_000, "the document should be megabytes long");
        Assert.Equal(expected, output.ToString());
        Assert.Contains("中文 \\uD83D\\uDE00", output.ToString(), StringComparison.Ordinal);
        Assert.True(output.Writes > 50, $"{output.Writes} writes: the document should have been printed in chunks");
        Assert.True(output.LongestWrite <= 64 * 1024, $"one write of {output.LongestWrite} characters: the document was held whole");
    }

    [Fact]
    public void A_string_longer_than_a_chunk_is_printed_whole()
    {
        var text = string.Concat(Enumerable.Repeat("é€中", 40_000));
        var output = new RecordingWriter();
        JsonOutput.Write(output, json => json.WriteStringValue(text));
        Assert.Equal("\"" + text + "\"" + output.NewLine, output.ToString());
        Assert.Equal(Whole(json => json.WriteStringValue(text)) + output.NewLine, output.ToString());
    }

    /// <summary>The document decoded at once, as JSON was printed before it was printed in chunks.</summary>
    private static string Whole(Action<Utf8JsonWriter> write)
    {
        var whole = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(whole, Options))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(whole.WrittenSpan);
    }

    /// <summary>A string writer that counts the writes it is given and remembers the longest.</summary>
    private sealed class RecordingWriter : StringWriter
    {
        public int Writes { get; private set; }

        public int LongestWrite { get; private set; }

        public override void Write(char value)
        {
            Count(1);
            base.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            Count(count);
            base.Write(buffer, index, count);
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            Count(buffer.Length);
            base.Write(buffer);
        }

        public override void Write(string? value)
        {
            Count(value?.Length ?? 0);
            base.Write(value);
        }

        public override void WriteLine(string? value)
        {
            Count(value?.Length ?? 0);
            base.WriteLine(value);
        }

        private void Count(int length)
        {
            Writes++;
            LongestWrite = Math.Max(LongestWrite, length);
        }
    }
}
