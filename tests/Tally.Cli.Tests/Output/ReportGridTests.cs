using Spectre.Console;
using Tally.Cli.Output;

namespace Tally.Cli.Tests.Output;

/// <summary>A report's table, written directly, is byte for byte what Spectre writes for the same table; what it cannot
/// write exactly (too wide, wide characters) it leaves to Spectre.</summary>
public class ReportGridTests
{
    public static TheoryData<ColorSystem, int> Consoles => new()
    {
        { ColorSystem.NoColors, 1 }, { ColorSystem.Standard, 2 }, { ColorSystem.EightBit, 3 }, { ColorSystem.TrueColor, 4 },
        { ColorSystem.NoColors, 5 }, { ColorSystem.Standard, 6 }, { ColorSystem.TrueColor, 7 },
    };

    [Theory]
    [MemberData(nameof(Consoles))]
    public void A_table_that_fits_is_written_as_Spectre_writes_it(ColorSystem colours, int seed)
    {
        var grid = Sample(new Random(seed), rows: 40, exotic: false);

        var (spectre, _) = Render(colours, 240, console => console.Write(grid.ToSpectre()));
        var (direct, written) = Render(colours, 240, grid.TryWriteDirect);

        Assert.True(written);
        Assert.Equal(spectre, direct);
        Assert.Equal(colours != ColorSystem.NoColors, direct.Contains('\u001b', StringComparison.Ordinal));
    }

    [Fact]
    public void A_table_with_wide_characters_or_wider_than_the_console_is_left_to_Spectre()
    {
        var wide = Sample(new Random(11), rows: 5, exotic: true);
        var narrow = Sample(new Random(12), rows: 5, exotic: false);

        Assert.False(Render(ColorSystem.NoColors, 240, wide.TryWriteDirect).Result);
        Assert.False(Render(ColorSystem.NoColors, 60, narrow.TryWriteDirect).Result);
        Assert.Equal(Render(ColorSystem.Standard, 240, c => c.Write(wide.ToSpectre())).Output, Render(ColorSystem.Standard, 240, wide.Write).Output);
        Assert.Equal(Render(ColorSystem.Standard, 60, c => c.Write(narrow.ToSpectre())).Output, Render(ColorSystem.Standard, 60, narrow.Write).Output);
    }

    private static ReportGrid Sample(Random random, int rows, bool exotic)
    {
        var grid = new ReportGrid("Claude Code usage · sessions · Europe/Zürich");
        grid.AddColumn("Session");
        grid.AddColumn("Project");
        grid.AddColumn("Models");
        grid.AddColumn("Input", right: true);
        grid.AddColumn("Cost (USD)", right: true);
        string[] projects = ["blog", "café-app", "api_gateway", "", "ŝtelo", exotic ? "日本語のプロジェクト" : "x"];
        for (var i = 0; i < rows; i++)
        {
            var style = (CellStyle)random.Next(4);
            var models = Enumerable.Range(0, random.Next(0, 4)).Select(m => new CellLine($"- opus-4-{m}{(m == 2 ? " ⚠" : "")}", m == 2 ? CellStyle.Yellow : CellStyle.None)).ToArray();
            if (i % 9 == 8)
            {
                grid.AddEmptyRow();
                continue;
            }

            grid.AddRow(
                ReportGrid.Cell(i % 5 == 4 ? $"  └ sonnet-4-{i}" : Guid.NewGuid().ToString(), style),
                ReportGrid.Cell(projects[exotic && i == 0 ? projects.Length - 1 : random.Next(projects.Length)]),
                models,
                ReportGrid.Cell(random.Next(0, 100_000_000).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), style),
                ReportGrid.Cell($"${random.Next(0, 10_000)}.{random.Next(0, 100):00}", style));
        }

        grid.AddRow(ReportGrid.Cell("Total", CellStyle.BoldYellow), [], [], ReportGrid.Cell("1,234", CellStyle.BoldYellow), ReportGrid.Cell("$9.99", CellStyle.BoldYellow));
        return grid;
    }

    private static (string Output, bool Result) Render(ColorSystem colours, int width, Func<IAnsiConsole, bool> write)
    {
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = colours == ColorSystem.NoColors ? AnsiSupport.No : AnsiSupport.Yes,
            ColorSystem = (ColorSystemSupport)colours,
            Out = new AnsiConsoleOutput(output),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        var result = write(console);
        return (output.ToString(), result);
    }

    private static (string Output, bool Result) Render(ColorSystem colours, int width, Action<IAnsiConsole> write) =>
        Render(colours, width, console =>
        {
            write(console);
            return true;
        });
}
