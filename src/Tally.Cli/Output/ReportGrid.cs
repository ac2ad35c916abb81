using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Tally.Cli.Output;

/// <summary>The few styles a report's cells use.</summary>
internal enum CellStyle
{
    /// <summary>The terminal's own.</summary>
    None,

    /// <summary>Grey: a breakdown line.</summary>
    Grey,

    /// <summary>Yellow: a warning (an unpriced model).</summary>
    Yellow,

    /// <summary>Bold yellow: the total.</summary>
    BoldYellow,
}

/// <summary>One line of a cell, with its style.</summary>
internal readonly record struct CellLine(string Text, CellStyle Style = CellStyle.None);

/// <summary>
/// A report's table: rows of plain-text cells (a cell may hold several lines, each with its style), drawn as Spectre
/// draws a rounded table with a grey border and a title. Spectre measures every character of every cell several times
/// (a month of sessions, 1,200 rows, took 0.4 s to draw), so a table that fits the console's width and holds only
/// characters one column wide is written directly, with the very bytes Spectre writes for it (in colour or not); any
/// other table (too wide, wide or combining characters, a legacy colour console) is handed to Spectre, which wraps it.
/// </summary>
internal sealed class ReportGrid(string title)
{
    private readonly List<(string Heading, bool Right)> _columns = [];
    private readonly List<CellLine[][]> _rows = [];

    /// <summary>Adds a column (right-aligned: its heading too).</summary>
    public void AddColumn(string heading, bool right = false) => _columns.Add((heading, right));

    /// <summary>Adds a row: one cell per column, each one or more lines.</summary>
    public void AddRow(params CellLine[][] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != _columns.Count)
        {
            throw new ArgumentException($"A row needs {_columns.Count} cells, not {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
    }

    /// <summary>Adds a row of empty cells.</summary>
    public void AddEmptyRow() => _rows.Add([.. _columns.Select(static _ => Array.Empty<CellLine>())]);

    /// <summary>One cell of one line.</summary>
    public static CellLine[] Cell(string text, CellStyle style = CellStyle.None) => [new CellLine(text, style)];

    /// <summary>Draws the table on <paramref name="console"/>.</summary>
    public void Write(IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (!TryWriteDirect(console))
        {
            console.Write(ToSpectre());
        }
    }

    /// <summary>The same table as Spectre's <see cref="Table"/>.</summary>
    internal Table ToSpectre()
    {
        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey).Title(Spectre.Console.Markup.Escape(title));
        foreach (var (heading, right) in _columns)
        {
            var column = new TableColumn(Spectre.Console.Markup.Escape(heading));
            table.AddColumn(right ? column.RightAligned() : column);
        }

        foreach (var row in _rows)
        {
            if (row.All(static c => c.Length == 0))
            {
                table.AddEmptyRow();
                continue;
            }

            table.AddRow([.. row.Select(static c => (IRenderable)new Spectre.Console.Markup(string.Join('\n', c.Select(static l => MarkupOf(l)))))]);
        }

        return table;
    }

    /// <summary>Writes the table itself when it fits and every character is one column wide; false otherwise.</summary>
    internal bool TryWriteDirect(IAnsiConsole console)
    {
        var capabilities = console.Profile.Capabilities;
        var colours = !capabilities.Ansi || capabilities.ColorSystem == ColorSystem.NoColors ? Palette.None
            : capabilities.ColorSystem == ColorSystem.Standard ? Palette.Standard
            : capabilities.ColorSystem is ColorSystem.EightBit or ColorSystem.TrueColor ? Palette.EightBit
            : (Palette?)null;
        if (colours is not { } palette || !Narrow(title))
        {
            return false;
        }

        var widths = new int[_columns.Count];
        for (var c = 0; c < _columns.Count; c++)
        {
            if (!Narrow(_columns[c].Heading))
            {
                return false;
            }

            widths[c] = _columns[c].Heading.Length;
        }

        foreach (var row in _rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                foreach (var line in row[c])
                {
                    if (!Narrow(line.Text))
                    {
                        return false;
                    }

                    widths[c] = Math.Max(widths[c], line.Text.Length);
                }
            }
        }

        var total = widths.Sum() + (3 * widths.Length) + 1;
        if (total > console.Profile.Width || title.Length > total)
        {
            return false; // Spectre shrinks and wraps it
        }

        var output = new StringBuilder(total * (_rows.Count + 6) * 2);
        var left = (total - title.Length) / 2;
        output.Append(' ', left);
        Styled(output, title, palette.Title);
        output.Append(' ', total - left - title.Length).Append(Environment.NewLine);
        Border(output, '╭', '┬', '╮', widths, palette);
        Line(output, [.. _columns.Select(static c => new CellLine(c.Heading))], widths, palette);
        Border(output, '├', '┼', '┤', widths, palette);
        var cells = new CellLine[_columns.Count];
        foreach (var row in _rows)
        {
            var height = Math.Max(1, row.Max(static c => c.Length));
            for (var i = 0; i < height; i++)
            {
                for (var c = 0; c < row.Length; c++)
                {
                    cells[c] = i < row[c].Length ? row[c][i] : default;
                }

                Line(output, cells, widths, palette);
            }
        }

        Border(output, '╰', '┴', '╯', widths, palette);
        var writer = console.Profile.Out.Writer;
        writer.Write(output.ToString());
        writer.Flush();
        return true;
    }

    private void Line(StringBuilder output, CellLine[] cells, int[] widths, Palette palette)
    {
        Styled(output, "│", palette.Border);
        for (var c = 0; c < cells.Length; c++)
        {
            var text = cells[c].Text ?? string.Empty;
            var pad = widths[c] - text.Length;
            output.Append(' ');
            if (_columns[c].Right)
            {
                output.Append(' ', pad);
            }

            Styled(output, text, palette.Of(cells[c].Style));
            if (!_columns[c].Right)
            {
                output.Append(' ', pad);
            }

            output.Append(' ');
            Styled(output, "│", palette.Border);
        }

        output.Append(Environment.NewLine);
    }

    private static void Border(StringBuilder output, char first, char middle, char last, int[] widths, Palette palette)
    {
        var line = new StringBuilder();
        line.Append(first);
        for (var c = 0; c < widths.Length; c++)
        {
            line.Append('─', widths[c] + 2).Append(c == widths.Length - 1 ? last : middle);
        }

        Styled(output, line.ToString(), palette.Border);
        output.Append(Environment.NewLine);
    }

    private static void Styled(StringBuilder output, string text, string? code)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (code is null)
        {
            output.Append(text);
            return;
        }

        output.Append("\u001b[").Append(code).Append('m').Append(text).Append("\u001b[0m");
    }

    /// <summary>True when every character takes one column, as Spectre measures it: printable ASCII, Latin-1 and Latin
    /// Extended letters, and the few symbols reports use.</summary>
    private static bool Narrow(string text)
    {
        foreach (var ch in text)
        {
            if (ch is (>= ' ' and <= '~') or (>= '\u00a0' and <= '\u024f' and not '\u00ad') or '·' or '└' or '⚠' or '…' or '–' or '—')
            {
                continue;
            }

            return false;
        }

        return true;
    }

    private static string MarkupOf(CellLine line)
    {
        var text = Spectre.Console.Markup.Escape(line.Text);
        return line.Style switch
        {
            CellStyle.Grey => $"[grey]{text}[/]",
            CellStyle.Yellow => $"[yellow]{text}[/]",
            CellStyle.BoldYellow => $"[bold yellow]{text}[/]",
            _ => text,
        };
    }

    /// <summary>The escape codes Spectre writes for each style in a colour system (none: no codes at all).</summary>
    private readonly record struct Palette(string? Title, string? Border, string? Grey, string? Yellow, string? BoldYellow)
    {
        public static readonly Palette None = new(null, null, null, null, null);
        public static readonly Palette Standard = new("37", "90", "90", "93", "1;93");
        public static readonly Palette EightBit = new("38;5;7", "38;5;8", "38;5;8", "38;5;11", "1;38;5;11");

        public string? Of(CellStyle style) => style switch
        {
            CellStyle.Grey => Grey,
            CellStyle.Yellow => Yellow,
            CellStyle.BoldYellow => BoldYellow,
            _ => null,
        };
    }
}
