using System.CommandLine;
using Tally.Cli.App;
using Tally.Cli.Output;
using Tally.Core.Reports;

namespace Tally.Cli.Commands;

/// <summary><c>tally session [ID]</c>: usage and cost per session, or one session (by id or unique prefix) in detail.</summary>
internal sealed class SessionCommand : ReportCommand
{
    private readonly Argument<string?> _id = new("id") { Description = "A session id (or a unique prefix) to show in detail", Arity = ArgumentArity.ZeroOrOne };

    /// <summary>Creates the verb.</summary>
    public SessionCommand(TallyContext context)
        : base("session", "Usage and cost per session (subagents included), or one session in detail", ReportKind.Session, context) => Arguments.Add(_id);

    /// <inheritdoc />
    protected override async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.GetValue(_id) is not { Length: > 0 } id)
        {
            return await base.RunAsync(result, cancellationToken);
        }

        var environment = Context.Environment;
        await using var run = await TallyRun.OpenAsync(Context.Global.Read(result), environment, cancellationToken);
        var errors = new List<string>();
        var request = Report.Read(result, ReportKind.Session, run.Config, environment, errors);
        if (errors.Count > 0)
        {
            return Usage(environment, errors);
        }

        var matches = await SessionDetail.MatchAsync(run.Store, id, cancellationToken);
        if (matches.Count != 1)
        {
            return Usage(environment, [matches.Count == 0
                ? $"no session matches \"{id}\"; `tally session` lists them."
                : $"\"{id}\" matches {matches.Count} sessions ({string.Join(", ", matches.Take(5))}{(matches.Count > 5 ? ", …" : string.Empty)}); give more of the id."]);
        }

        var detail = await SessionDetail.BuildAsync(run.Store, run.Catalog, request, matches[0], cancellationToken);
        if (result.GetValue(Report.Json))
        {
            SessionDetailWriter.WriteJson(detail, environment.Out);
        }
        else
        {
            SessionDetailWriter.WriteTable(detail, environment.Console);
        }

        return ExitCodes.Ok;
    }
}
