namespace Tally.Core.Export;

/// <summary>RFC 4180 fields written straight to a <see cref="TextWriter"/>, without building each record as a string.</summary>
public static class CsvText
{
    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create(",\"\r\n");

    /// <summary>Writes one field: as it is, or quoted with inner quotes doubled when it holds a comma, a quote or a line break.</summary>
    public static void Field(TextWriter output, ReadOnlySpan<char> value)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (value.IndexOfAny(Special) < 0)
        {
            output.Write(value);
            return;
        }

        output.Write('"');
        while (true)
        {
            var quote = value.IndexOf('"');
            if (quote < 0)
            {
                output.Write(value);
                break;
            }

            output.Write(value[..(quote + 1)]);
            output.Write('"');
            value = value[(quote + 1)..];
        }

        output.Write('"');
    }

    /// <summary>Writes a whole record of fields and its CRLF.</summary>
    public static void Record(TextWriter output, IEnumerable<string> fields)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(fields);
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                output.Write(',');
            }

            Field(output, field);
            first = false;
        }

        output.Write("\r\n");
    }
}
