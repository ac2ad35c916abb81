using System.Globalization;
using System.Text;
using Tally.Core.Storage;
using Tally.Core.Usage;

namespace Tally.Storage.Sqlite;

public sealed partial class SqliteUsageStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Read from the records (the rollup keeps neither directory nor branch) through the time index when the query
    /// has a range; each session's first call comes from the rollup through its session index, so a session that began
    /// before the range still says when it began.
    /// </remarks>
    public async Task<IReadOnlyList<AgentActivityRow>> AgentActivityAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (SelectsNothing(query))
        {
            return [];
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            RefreshRollup();
            var parameters = new List<object>();
            var sql = new StringBuilder("SELECT session_id, agent_id, cwd, git_branch, project, model, proxy_agent, billing, ")
                .Append(Source.Records.Sums(query.CostMode))
                .Append(", (SELECT MIN(u.min_ts) FROM rollup u WHERE u.session_id = records.session_id)")
                .Append(" FROM records WHERE (session_id IS NOT NULL OR proxy_agent IS NOT NULL)");
            Filter(parameters, sql, query, Source.Records);
            sql.Append(" GROUP BY session_id, agent_id, cwd, git_branch, project, model, proxy_agent, billing;");

            using var statement = Prepare(sql.ToString(), parameters);
            var rows = new List<AgentActivityRow>();
            while (statement.Step())
            {
                rows.Add(new AgentActivityRow
                {
                    SessionId = statement.TextOrNull(0),
                    ProxyAgent = statement.TextOrNull(6),
                    Billing = statement.IsNull(7) ? null : (Tally.Core.Agents.BillingSource)statement.Int64(7),
                    AgentId = statement.TextOrNull(1),
                    Cwd = statement.TextOrNull(2),
                    GitBranch = statement.TextOrNull(3),
                    Project = statement.TextOrNull(4),
                    Model = statement.Text(5),
                    Tokens = new TokenCounts(statement.Int64(8), statement.Int64(9), statement.Int64(10), statement.Int64(11), statement.Int64(12)),
                    WebSearchRequests = statement.Int64(13),
                    Calls = statement.Int64(14),
                    CostUsd = FromUnits(statement.Int64(15)),
                    UnpricedCalls = statement.Int64(16),
                    ReportedCostCalls = statement.Int64(18),
                    FirstSeen = DateTimeOffset.FromUnixTimeMilliseconds(statement.Int64(19)),
                    LastSeen = DateTimeOffset.FromUnixTimeMilliseconds(statement.Int64(20)),
                    SessionFirstSeen = DateTimeOffset.FromUnixTimeMilliseconds(Math.Min(statement.Int64(19), statement.IsNull(21) ? long.MaxValue : statement.Int64(21))),
                });
            }

            return rows;
        }
        finally
        {
            _gate.Release();
        }
    }
}
