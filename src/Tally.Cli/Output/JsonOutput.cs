using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tally.Cli.Output;

/// <summary>How every JSON document Tally prints is written: indented, as ccusage does, and without escaping
/// characters such as <c>+</c> or <c>'</c> that are safe outside HTML (so a catalog version reads as it is).</summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes one document built by <paramref name="write"/>, and a newline, to <paramref name="output"/>: a chunk
    /// at a time as it is built (a report of megabytes is never held whole), so a document that fails part way leaves
    /// the part written.</summary>
    public static void Write(TextWriter output, Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new TextWriterBufferWriter(output);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            write(json);
        }

        buffer.Complete();
        output.WriteLine();
    }
}
