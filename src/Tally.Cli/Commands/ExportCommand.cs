using System.CommandLine;
using System.Text;
using Spectre.Console;
using Tally.Cli.App;
using Tally.Cli.Output;
using Tally.Core.Export;
using Tally.Core.Reports;
using Tally.Core.Storage;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally export [records|daily|weekly|monthly|session|projects|models]</c>: the records (one per call, streamed,
/// constant memory) or a report, as CSV, JSON or JSON Lines, to standard output or a file.
/// </summary>
internal sealed class ExportCommand : Command
{
    private const string Records = "records";

    private static readonly Dictionary<string, ReportKind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["daily"] = ReportKind.Daily,
        ["weekly"] = ReportKind.Weekly,
        ["monthly"] = ReportKind.Monthly,
        ["session"] = ReportKind.Session,
        ["projects"] = ReportKind.Projects,
        ["models"] = ReportKind.Models,
    };

    private readonly Argument<string> _what = new("what")
    {
        Description = "records (default: one row per call) or a report: daily, weekly, monthly, session, projects, models",
        Arity = ArgumentArity.ZeroOrOne,
        DefaultValueFactory = static _ => Records,
    };

    private readonly ReportOptions _filters = new();
    private readonly Option<string?> _format = new("--format", "-f") { Description = "csv, json or jsonl (default: from --output's extension, else csv)" };
    private readonly Option<string?> _output = new("--output") { Description = "Write to this file instead of standard output (written whole or not at all)" };
    private readonly Option<string?> _session = new("--session") { Description = "Only this session (its full id)" };
    private readonly Option<string?> _startOfWeek = new("--start-of-week", "-w") { Description = "First day of a week for weekly: monday (default), sunday, …" };
    private readonly TallyContext _context;

    /// <summary>Creates the verb.</summary>
    public ExportCommand(TallyContext context)
        : base("export", "Export the records (one row per call) or a report as CSV, JSON or JSON Lines")
    {
        _context = context;
        Arguments.Add(_what);
        _filters.AddFiltersTo(this);
        foreach (Option option in new Option[] { _filters.Order, _filters.Breakdown, _format, _output, _session, _startOfWeek })
        {
            Options.Add(option);
        }

        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var environment = _context.Environment;
        await using var run = await TallyRun.OpenAsync(_context.Global.Read(result), environment, cancellationToken);
        var errors = new List<string>();
        var what = result.GetValue(_what) ?? Records;
        var records = string.Equals(what, Records, StringComparison.OrdinalIgnoreCase);
        if (!records && !Kinds.ContainsKey(what))
        {
            errors.Add($"\"{what}\" is not something to export: use records, daily, weekly, monthly, session, projects or models.");
        }

        var request = _filters.Read(result, Kinds.GetValueOrDefault(what, ReportKind.Daily), run.Config, environment, errors) with { SessionId = result.GetValue(_session) };
        request = request with { StartOfWeek = StartOfWeek(result.GetValue(_startOfWeek), run.Config, errors) };
        var output = result.GetValue(_output) is { Length: > 0 } path ? TallyPaths.ExpandHome(path, TallyPaths.Home(environment.Variable)) : null;
        var format = Format(result.GetValue(_format), output, errors);
        if (records && result.GetValue(_filters.Order) is not null)
        {
            errors.Add("--order applies to reports: records are always exported oldest first.");
        }

        if (result.GetValue(_filters.Breakdown) && (records || format != ExportFormat.Csv))
        {
            errors.Add("--breakdown applies to a report exported as CSV (JSON always has modelBreakdowns).");
        }

        if (output is not null && Path.GetDirectoryName(Path.GetFullPath(output)) is { } folder && !Directory.Exists(folder))
        {
            errors.Add($"--output {output}: the folder {folder} does not exist.");
        }

        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                environment.Error.MarkupLineInterpolated($"[red]error:[/] {error}");
            }

            return ExitCodes.Usage;
        }

        if (await run.HasNoDataAsync(cancellationToken))
        {
            NoDataMessage.Write(run);
            return ExitCodes.NoData;
        }

        var written = await WriteAsync(output, environment, async stream => records
            ? await ExportRecordsAsync(run, request, format, stream, cancellationToken)
            : await ExportReportAsync(run, request, format, result.GetValue(_filters.Breakdown), stream, cancellationToken));
        if (output is not null)
        {
            environment.Console.MarkupLineInterpolated($"Wrote {Output.Format.Count(written)} {(records ? "records" : "rows")} to {output}.");
        }

        return ExitCodes.Ok;
    }

    private static async Task<long> ExportRecordsAsync(TallyRun run, ReportRequest request, ExportFormat format, Stream stream, CancellationToken cancellationToken)
    {
        var query = new UsageQuery
        {
            From = request.From,
            Until = request.To,
            SessionId = request.SessionId,
            Models = request.Models is null ? null : await Filters.ModelsAsync(run.Store, request.Models, cancellationToken),
            Projects = request.Projects is null ? null : await Filters.ProjectsAsync(run.Store, request.Projects, request.ProjectAliases, cancellationToken),
        };
        var exporter = new RecordExporter(format, request.CostMode, run.Catalog);
        return await exporter.WriteAsync(run.Store.ReadRecordsAsync(query, cancellationToken), stream, cancellationToken);
    }

    private static async Task<long> ExportReportAsync(TallyRun run, ReportRequest request, ExportFormat format, bool breakdown, Stream stream, CancellationToken cancellationToken)
    {
        var report = await ReportBuilder.BuildAsync(run.Store, run.Catalog, request, cancellationToken);
        await using var text = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024, leaveOpen: true);
        switch (format)
        {
            case ExportFormat.Csv:
                CsvReportWriter.Write(report, text, breakdown);
                break;
            case ExportFormat.Json:
                JsonReportWriter.Write(report, text);
                break;
            default:
                JsonReportWriter.WriteLines(report, text);
                break;
        }

        await text.FlushAsync(cancellationToken);
        return report.Lines.Count;
    }

    /// <summary>Runs <paramref name="write"/> on standard output, or on a temporary file moved over <paramref name="output"/>
    /// once complete (a failed or interrupted export leaves no partial file).</summary>
    private static async Task<long> WriteAsync(string? output, TallyEnvironment environment, Func<Stream, Task<long>> write)
    {
        if (output is null)
        {
            await using var stdout = new TextWriterStream(environment.Out);
            var count = await write(stdout);
            await stdout.FlushAsync();
            return count;
        }

        var temporary = output + ".tally-" + Environment.ProcessId + ".tmp";
        try
        {
            long count;
            await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                count = await write(file);
            }

            File.Move(temporary, output, overwrite: true);
            return count;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static ExportFormat Format(string? text, string? output, List<string> errors)
    {
        var name = text ?? Path.GetExtension(output ?? string.Empty).TrimStart('.');
        switch (name.Trim().ToLowerInvariant())
        {
            case "json":
                return ExportFormat.Json;
            case "jsonl" or "ndjson":
                return ExportFormat.JsonLines;
            case "csv":
                return ExportFormat.Csv;
            default:
                if (text is not null)
                {
                    errors.Add($"--format \"{text}\" is not csv, json or jsonl.");
                }

                return ExportFormat.Csv;
        }
    }

    private static DayOfWeek StartOfWeek(string? text, TallyConfig config, List<string> errors)
    {
        if (text is null)
        {
            return config.StartOfWeek ?? DayOfWeek.Monday;
        }

        if (App.Options.ParseDayOfWeek(text) is { } day)
        {
            return day;
        }

        errors.Add($"--start-of-week \"{text}\" is not a day of the week.");
        return DayOfWeek.Monday;
    }
}
