using System.CommandLine;
using Spectre.Console;
using Tally.Cli.App;
using Tally.Cli.Output;
using Tally.Core.Export;
using Tally.Core.Reports;

namespace Tally.Cli.Commands;

/// <summary>A report verb: syncs the index, asks it one aggregate query and prints the rows as a table, JSON or CSV.</summary>
internal class ReportCommand : Command
{
    private readonly ReportKind _kind;

    /// <summary>Creates the verb <paramref name="name"/> for reports of <paramref name="kind"/>.</summary>
    protected ReportCommand(string name, string description, ReportKind kind, TallyContext context)
        : base(name, description)
    {
        ArgumentNullException.ThrowIfNull(context);
        _kind = kind;
        Context = context;
        Report.AddTo(this);
        SetAction(RunAsync);
    }

    /// <summary>The report flags.</summary>
    protected ReportOptions Report { get; } = new();

    /// <summary>The shared flags and the outside world.</summary>
    protected TallyContext Context { get; }

    /// <summary>A verb's own changes to the request (e.g. <c>--start-of-week</c>).</summary>
    protected virtual ReportRequest Refine(ReportRequest request, ParseResult result, TallyConfig config, List<string> errors) => request;

    /// <summary>Runs the verb.</summary>
    protected virtual async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var environment = Context.Environment;
        await using var run = await TallyRun.OpenAsync(Context.Global.Read(result), environment, cancellationToken);
        var errors = new List<string>();
        var request = Refine(Report.Read(result, _kind, run.Config, environment, errors), result, run.Config, errors);
        if (errors.Count > 0)
        {
            return Usage(environment, errors);
        }

        if (await run.HasNoDataAsync(cancellationToken))
        {
            NoDataMessage.Write(run);
            return ExitCodes.NoData;
        }

        var report = await ReportBuilder.BuildAsync(run.Store, run.Catalog, request, cancellationToken);
        Print(report, result, environment);
        return ExitCodes.Ok;
    }

    /// <summary>Reports flag errors together, on standard error.</summary>
    protected static int Usage(TallyEnvironment environment, IEnumerable<string> errors)
    {
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var error in errors ?? [])
        {
            environment.Error.MarkupLineInterpolated($"[red]error:[/] {error}");
        }

        return ExitCodes.Usage;
    }

    /// <summary>Prints the report in the format the flags ask for.</summary>
    protected void Print(Report report, ParseResult result, TallyEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(environment);
        if (result.GetValue(Report.Json))
        {
            JsonReportWriter.Write(report, environment.Out);
        }
        else if (result.GetValue(Report.Csv))
        {
            CsvReportWriter.Write(report, environment.Out, result.GetValue(Report.Breakdown));
        }
        else
        {
            TableReportWriter.Write(report, environment.Console, result.GetValue(Report.Breakdown), result.GetValue(Report.Compact));
            ProblemsNote(report, environment);
        }
    }

    private static void ProblemsNote(Report report, TallyEnvironment environment)
    {
        if (report.Problems > 0)
        {
            environment.Error.MarkupLineInterpolated($"[yellow]⚠ {report.Problems} transcript lines could not be counted; `tally problems` lists them with file, line and reason.[/]");
        }
    }
}
