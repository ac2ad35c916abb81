using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Tally.Cli.App;
using Tally.Cli.Output;

namespace Tally.Cli.Commands;

/// <summary><c>tally problems</c>: every transcript line that could not be counted, with file, line and reason.</summary>
internal sealed class ProblemsCommand : Command
{
    private readonly Option<bool> _json = new("--json", "-j") { Description = "JSON on stdout" };
    private readonly TallyContext _context;

    /// <summary>Creates the verb.</summary>
    public ProblemsCommand(TallyContext context)
        : base("problems", "List every transcript line that could not be counted, with file, line and reason")
    {
        _context = context;
        Options.Add(_json);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var environment = _context.Environment;
        await using var run = await TallyRun.OpenAsync(_context.Global.Read(result), environment, cancellationToken);
        var problems = await run.Store.ProblemsAsync(cancellationToken);
        if (result.GetValue(_json))
        {
            JsonOutput.Write(environment.Out, json =>
            {
                json.WriteStartObject();
                json.WriteStartArray("problems");
                foreach (var problem in problems)
                {
                    json.WriteStartObject();
                    json.WriteString("file", problem.File);
                    json.WriteNumber("line", problem.Line);
                    json.WriteString("reason", problem.Reason);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        if (problems.Count == 0)
        {
            environment.Console.MarkupLine("[green]Every transcript line was counted.[/]");
            return ExitCodes.Ok;
        }

        foreach (var problem in problems)
        {
            environment.Console.MarkupLineInterpolated($"{problem.File}:{problem.Line}: [yellow]{problem.Reason}[/]");
        }

        environment.Console.MarkupLineInterpolated($"[grey]{problems.Count} lines in {problems.Select(static p => p.File).Distinct().Count()} files could not be counted; every other line was.[/]");
        return ExitCodes.Ok;
    }
}
