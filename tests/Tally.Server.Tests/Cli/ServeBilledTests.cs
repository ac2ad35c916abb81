using System.Net;
using System.Text.Json;
using Tally.Server.Tests.Harness;

namespace Tally.Server.Tests.Cli;

/// <summary><c>/api/admin/*</c> and <c>/api/reconcile</c> answer the documents <c>tally admin …</c> and <c>tally reconcile</c> print.</summary>
public partial class ServeCommandTests
{
    private static readonly (string[] Command, string Path)[] BilledPairs =
    [
        (["admin", "costs"], "/api/admin/costs"),
        (["admin", "usage"], "/api/admin/usage"),
        (["admin", "claude-code"], "/api/admin/claude-code"),
        (["admin", "costs", "--by", "workspace", "--since", "2026-11-18", "--until", "2026-11-19"], "/api/admin/costs?group_by=workspace&start_date=2026-11-18&end_date=2026-11-19"),
        (["admin", "costs", "--by", "model", "--since", "20261118", "--until", "2026-11-18"], "/api/admin/costs?group_by=model&start_date=20261118&end_date=2026-11-18"),
        (["admin", "costs", "--by", "description"], "/api/admin/costs?group_by=description"),
        (["admin", "costs", "--by", "token-type", "--since", "2026-11-19"], "/api/admin/costs?group_by=token-type&start_date=2026-11-19"),
        (["admin", "costs", "--by", "segment", "--until", "2026-11-19"], "/api/admin/costs?group_by=segment&end_date=2026-11-19"),
        (["admin", "usage", "--by", "model"], "/api/admin/usage?group_by=model"),
        (["admin", "usage", "--by", "workspace"], "/api/admin/usage?group_by=workspace"),
        (["admin", "usage", "--by", "api-key"], "/api/admin/usage?group_by=api-key"),
        (["admin", "usage", "--by", "segment", "--since", "2026-11-19", "--until", "2026-11-19"], "/api/admin/usage?group_by=segment&start_date=2026-11-19&end_date=2026-11-19"),
        (["admin", "claude-code", "--by", "day"], "/api/admin/claude-code?group_by=day"),
        (["admin", "costs", "--since", "2025-01-01", "--until", "2025-01-31"], "/api/admin/costs?start_date=2025-01-01&end_date=2025-01-31"),
        (["reconcile"], "/api/reconcile"),
        (["reconcile", "--since", "2026-11-18", "--until", "2026-11-20"], "/api/reconcile?start_date=2026-11-18&end_date=2026-11-20"),
        (["reconcile", "--since", "2026-11-18", "--until", "2026-11-19", "--tolerance", "100"], "/api/reconcile?start_date=2026-11-18&end_date=2026-11-19&tolerance=100"),
    ];

    [Fact]
    public async Task Billed_endpoints_answer_the_documents_the_admin_commands_and_reconcile_print()
    {
        using var cli = new TallyCli(TestData.ClaudeSample, new FakeClock(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)));
        await BilledSeed.SeedAsync(Path.Combine(cli.Variables["TALLY_DATA_DIR"]!, "index.db"));
        var printed = new List<JsonElement>();
        foreach (var (command, _) in BilledPairs)
        {
            // reconcile exits 4 when a gap exceeds the tolerance: the document is the same either way.
            var (code, output, _, error) = await cli.RunAsync([.. command, "--json"]);
            Assert.True(code is 0 or 4, $"tally {string.Join(' ', command)}: exit {code}\n{error}");
            using var document = JsonDocument.Parse(output);
            printed.Add(document.RootElement.Clone());
        }

        // The documents hold what was seeded (not empty documents that would trivially agree).
        var segments = printed[7].GetProperty("costs").EnumerateArray().ToDictionary(static r => r.GetProperty("key").GetString()!, static r => r.GetProperty("costUsd").GetDecimal());
        Assert.Equal(new Dictionary<string, decimal> { ["api"] = BilledSeed.TotalCost - 12.345m, ["claude-code"] = 12.345m }, segments);
        Assert.Equal(BilledSeed.TotalCost, printed[0].GetProperty("totals").GetProperty("costUsd").GetDecimal());
        Assert.Equal(0, printed[13].GetProperty("costs").GetArrayLength());
        Assert.Contains(printed[15].GetProperty("reconciliation").EnumerateArray(), static r => r.GetProperty("localTokens").GetInt64() > 0 && r.GetProperty("adminTokens").GetInt64() > 0);

        var (exit, _, _) = await ServeAsync(cli, ["serve", "--port", "0", "--no-sync"], async address =>
        {
            using var client = new HttpClient { BaseAddress = address };
            for (var i = 0; i < BilledPairs.Length; i++)
            {
                AssertSameJson(printed[i], await client.GetStringAsync(BilledPairs[i].Path));
            }

            using var bad = await client.GetAsync("/api/admin/usage?group_by=description");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("\"group_by\"", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        });

        Assert.Equal(0, exit);
    }
}
