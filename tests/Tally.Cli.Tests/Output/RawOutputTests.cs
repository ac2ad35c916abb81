using System.Text;
using Tally.Cli.App;
using Tally.Cli.Output;

namespace Tally.Cli.Tests.Output;

/// <summary>Standard output for JSON and CSV: large writes to its stream, each flushed at once, UTF-8 without a BOM.</summary>
public class RawOutputTests
{
    [Fact]
    public void A_report_of_megabytes_reaches_standard_output_in_a_few_hundred_writes_with_every_byte_in_order()
    {
        var stream = new CountingStream();
        var output = TallyEnvironment.RawOutput(TextWriter.Null, new UTF8Encoding(false), () => stream);
        var rows = Enumerable.Range(0, 30_000).Select(static i => $"session-{i} café € ✓").ToList();

        JsonOutput.Write(output, json =>
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStringValue(row);
            }

            json.WriteEndArray();
        });

        var text = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Equal("[\n" + string.Join(",\n", rows.Select(static r => $"  \"{r}\"")) + "\n]\n", text);
        Assert.True(stream.Length > 800_000, "the document should be most of a megabyte");
        Assert.True(stream.Writes < stream.Length / 4096, $"{stream.Writes} writes for {stream.Length} bytes");
    }

    [Fact]
    public void What_is_written_is_on_the_stream_at_once_without_a_byte_order_mark()
    {
        var stream = new CountingStream();
        var output = TallyEnvironment.RawOutput(TextWriter.Null, Encoding.UTF8, () => stream);
        output.Write("é");
        Assert.Equal("é"u8.ToArray(), stream.ToArray());
        output.WriteLine("x");
        Assert.Equal("éx\n"u8.ToArray(), stream.ToArray());
    }

    [Fact]
    public void A_console_in_another_encoding_keeps_its_own_writer()
    {
        var console = new StringWriter();
        Assert.Same(console, TallyEnvironment.RawOutput(console, Encoding.Latin1, () => throw new InvalidOperationException("standard output opened")));
    }

    private sealed class CountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes++;
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes++;
            base.Write(buffer);
        }
    }
}
