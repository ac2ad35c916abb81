using Microsoft.AspNetCore.Http;
using Tally.Core.Budgets;
using Tally.Server.Http;

namespace Tally.Server.Api;

/// <summary>
/// <c>POST /api/budgets/resume?budget=&amp;subject=</c>: resumes a paused budget for its current window (every subject
/// over its limit, or the one named), so the metering proxy lets the held agent's requests through until the window
/// resets. The same as <c>tally budget resume</c>.
/// </summary>
internal sealed class BudgetResumeEndpoint(ServerData data)
{
    /// <summary>The parameters the resume accepts.</summary>
    public static readonly IReadOnlyList<Parameter> ResumeParameters = [new("budget"), new("subject")];

    /// <summary>Resumes and answers what was resumed.</summary>
    public async Task ResumeAsync(HttpContext context)
    {
        var query = new QueryReader(context, ResumeParameters);
        var name = query.Text("budget");
        if (string.IsNullOrWhiteSpace(name))
        {
            query.Fail("budget", "name the budget to resume (`tally budget list` shows them).");
        }

        if (query.Failed)
        {
            await Problem.BadParametersAsync(context, query.Errors);
            return;
        }

        var budgets = data.Budgets?.Budgets ?? [];
        var settings = data.Budgets?.Settings ?? new BudgetSettings { Zone = data.Zone, CostMode = data.CostMode };
        var now = data.Clock.GetUtcNow();
        var resumed = await BudgetResume.ResumeAsync(data.Store, new BudgetEvaluator(data.Store, data.Clock, settings), budgets, name!, query.Text("subject"), now, context.RequestAborted);
        if (resumed is null)
        {
            await Problem.WriteAsync(context, StatusCodes.Status404NotFound, $"There is no budget named \"{name}\" (`tally budget list` shows them).");
            return;
        }

        await JsonBody.OkAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteString("budget", name);
            json.WriteStartArray("resumed");
            foreach (var status in resumed)
            {
                json.WriteStartObject();
                if (status.Subject is { } subject)
                {
                    json.WriteString("subject", subject);
                }
                else
                {
                    json.WriteNull("subject");
                }

                ApiJson.WriteInstant(json, "windowStart", status.Window.Start);
                ApiJson.WriteInstant(json, "resetsAt", status.Window.End);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }
}
