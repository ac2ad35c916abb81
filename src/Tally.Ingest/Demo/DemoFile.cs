namespace Tally.Ingest.Demo;

/// <summary>One transcript file, written front to back and never held in memory.</summary>
internal sealed class DemoFile : IDisposable
{
    private readonly DemoOutput _output;
    private readonly FileStream _stream;

    public DemoFile(DemoOutput output, string path)
    {
        _output = output;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024);
        output.Files++;
    }

    /// <summary>Bytes written to this file so far.</summary>
    public long Bytes { get; private set; }

    public void WriteLine(ReadOnlySpan<byte> line)
    {
        _stream.Write(line);
        _stream.WriteByte((byte)'\n');
        Count(line.Length + 1);
    }

    /// <summary>A last line cut short, as when Claude Code is still appending to the file.</summary>
    public void WritePartial(ReadOnlySpan<byte> line)
    {
        _stream.Write(line);
        Count(line.Length);
        _output.MalformedLines++;
    }

    public void Dispose() => _stream.Dispose();

    private void Count(int bytes)
    {
        Bytes += bytes;
        _output.Bytes += bytes;
        _output.Lines++;
    }
}
