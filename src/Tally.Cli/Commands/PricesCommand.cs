using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Tally.Cli.App;
using Tally.Cli.Output;
using Tally.Core.Pricing;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally prices</c>: the price catalog in force on a day (embedded, then an imported LiteLLM file, then the user's
/// <c>prices.json</c>), and <c>tally prices import-litellm FILE</c>.
/// </summary>
internal sealed class PricesCommand : Command
{
    private readonly Option<string?> _date = new("--date") { Description = "Show the prices in force on this day (default: today)" };
    private readonly Option<string[]> _model = new("--model", "-m") { Description = "Only models whose id contains this" };
    private readonly Option<bool> _json = new("--json", "-j") { Description = "JSON on stdout" };
    private readonly TallyContext _context;

    /// <summary>Creates the verb and its <c>import-litellm</c> subcommand.</summary>
    public PricesCommand(TallyContext context)
        : base("prices", "List the price catalog in force (USD per million tokens), and import prices")
    {
        _context = context;
        Options.Add(_date);
        Options.Add(_model);
        Options.Add(_json);
        Subcommands.Add(new ImportLiteLlmCommand(context));
        SetAction(Run);
    }

    private int Run(ParseResult result)
    {
        var environment = _context.Environment;
        var errors = new List<string>();
        var paths = TallyPaths.Resolve(result.GetValue(_context.Global.DataDir), result.GetValue(_context.Global.ConfigDir), environment.Variable);
        var catalog = CatalogLoader.Load(paths, errors);
        var dateText = result.GetValue(_date);
        var day = dateText is null ? DateOnly.FromDateTime(environment.Clock.GetUtcNow().UtcDateTime) : App.Options.ParseDay(dateText);
        if (day is null)
        {
            errors.Add($"--date \"{dateText}\" is not a date: use YYYYMMDD or YYYY-MM-DD.");
            foreach (var error in errors)
            {
                environment.Error.MarkupLineInterpolated($"[red]error:[/] {error}");
            }

            return ExitCodes.Usage;
        }

        foreach (var error in errors)
        {
            environment.Error.MarkupLineInterpolated($"[yellow]warning:[/] {error}");
        }

        var filters = App.Options.List(result.GetValue(_model));
        var models = catalog.Models.Where(m => filters is null || filters.Any(f => m.Id.Contains(f, StringComparison.OrdinalIgnoreCase))).ToList();
        if (result.GetValue(_json))
        {
            PriceListWriter.WriteJson(catalog, models, day.Value, environment.Out);
        }
        else
        {
            PriceListWriter.WriteTable(catalog, models, day.Value, environment.Console);
            environment.Console.MarkupLineInterpolated($"[grey]Overrides: {paths.PricesFile}{(File.Exists(paths.PricesFile) ? string.Empty : " (none)")}; LiteLLM import: {CatalogLoader.NewestLiteLlmFile(paths)?.Path ?? "(none)"}.[/]");
        }

        return ExitCodes.Ok;
    }

    /// <summary><c>tally prices import-litellm FILE</c>: checks a LiteLLM price file and keeps a dated copy that overrides the embedded catalog.</summary>
    private sealed class ImportLiteLlmCommand : Command
    {
        private readonly Argument<string> _file = new("file") { Description = "A local copy of LiteLLM's model_prices_and_context_window.json" };
        private readonly Option<string?> _asOf = new("--as-of") { Description = "The day the file's prices apply from (default: today)" };
        private readonly TallyContext _context;

        public ImportLiteLlmCommand(TallyContext context)
            : base("import-litellm", "Import a LiteLLM price file; its Claude prices apply from the import day on")
        {
            _context = context;
            Arguments.Add(_file);
            Options.Add(_asOf);
            SetAction(Run);
        }

        private int Run(ParseResult result)
        {
            var environment = _context.Environment;
            var file = result.GetValue(_file)!;
            var asOfText = result.GetValue(_asOf);
            var asOf = asOfText is null ? DateOnly.FromDateTime(environment.Clock.GetUtcNow().UtcDateTime) : App.Options.ParseDay(asOfText);
            if (asOf is null)
            {
                environment.Error.MarkupLineInterpolated($"[red]error:[/] --as-of \"{asOfText}\" is not a date: use YYYYMMDD or YYYY-MM-DD.");
                return ExitCodes.Usage;
            }

            PriceCatalog imported;
            try
            {
                using var stream = File.OpenRead(file);
                imported = LiteLlmImporter.Import(stream, asOf.Value);
                _ = PriceCatalog.Embedded.Merge(imported);
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                environment.Error.MarkupLineInterpolated($"[red]error:[/] {file}: {ex.Message}");
                return ExitCodes.Failed;
            }

            var paths = TallyPaths.Resolve(result.GetValue(_context.Global.DataDir), result.GetValue(_context.Global.ConfigDir), environment.Variable);
            Directory.CreateDirectory(paths.LiteLlmDirectory);
            var target = Path.Combine(paths.LiteLlmDirectory, asOf.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".json");
            File.Copy(file, target, overwrite: true);
            environment.Console.MarkupLineInterpolated($"Imported prices for {imported.Models.Count} Claude models from {file}, in force from {asOf:yyyy-MM-dd}; kept as {target}.");
            environment.Console.MarkupLine("[grey]Records are re-priced on the next report. The 1-hour cache price and the whole-request long-context rule are kept where the file lacks them.[/]");
            return ExitCodes.Ok;
        }
    }
}
