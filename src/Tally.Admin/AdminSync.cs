using System.Globalization;
using Tally.Core.Billing;
using Tally.Core.Usage;

namespace Tally.Admin;

/// <summary>
/// Fetches the Admin API's usage, cost and Claude Code reports and the names of workspaces and API keys, checks the
/// grouped rows against the ungrouped totals, and stores everything in one transaction (or nothing).
/// </summary>
public sealed class AdminSync(IBilledStore store, AdminReports reports, TimeProvider clock)
{
    /// <summary>Report names in the sync state.</summary>
    public const string UsageReport = BilledReports.Usage, CostReport = BilledReports.Cost, ClaudeCodeReport = BilledReports.ClaudeCode;

    /// <summary>How far back an incremental sync re-reads usage (data arrives late).</summary>
    public static readonly TimeSpan UsageTrailing = TimeSpan.FromHours(48);

    /// <summary>How many days back an incremental sync re-reads costs and Claude Code analytics.</summary>
    public const int DaysTrailing = 3;

    /// <summary>How many days a first sync reads.</summary>
    public const int FirstSyncDays = 30;

    /// <summary>The largest gap between the grouped costs of a day and its total that counts as rounding, in dollars
    /// (a hundredth of a cent).</summary>
    public const decimal CostRounding = 0.0001m;

    /// <summary>Runs one sync.</summary>
    public async Task<AdminSyncResult> RunAsync(AdminSyncRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        var thisHour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var notes = new List<string>();

        // Usage: complete hours only (the current hour is still filling).
        var usageUntil = request.Until is { } u ? Min(Midnight(u.AddDays(1)), thisHour) : thisHour;
        var usageFrom = request.Since is { } s ? Midnight(s)
            : await store.BilledCompleteUntilAsync(UsageReport, cancellationToken) is { } mark ? Min(mark, usageUntil) - UsageTrailing
            : usageUntil - TimeSpan.FromDays(FirstSyncDays);

        // Costs and Claude Code: whole UTC days, today's partial day included (re-read by the next sync).
        var dayUntil = request.Until is { } du ? Min(du.AddDays(1), today.AddDays(1)) : today.AddDays(1);
        var costFrom = await DayFromAsync(CostReport, request.Since, dayUntil, cancellationToken);
        var codeFrom = await DayFromAsync(ClaudeCodeReport, request.Since, dayUntil, cancellationToken);

        var failures = new List<string>();
        var usage = new List<BilledUsageRow>();
        if (usageFrom < usageUntil)
        {
            usage = await GroupedUsageAsync(usageFrom, usageUntil, notes, cancellationToken);
        }

        var costs = costFrom < dayUntil ? await reports.CostsAsync(costFrom, dayUntil, grouped: true, cancellationToken) : [];
        if (request.Check)
        {
            if (usageFrom < usageUntil)
            {
                CheckUsage(usage, await reports.UsageAsync(usageFrom, usageUntil, [], cancellationToken), failures);
            }

            if (costFrom < dayUntil)
            {
                CheckCosts(costs, await reports.CostsAsync(costFrom, dayUntil, grouped: false, cancellationToken), failures);
            }
        }

        var code = new List<ClaudeCodeDay>();
        if (request.ClaudeCode)
        {
            for (var day = codeFrom; day < dayUntil; day = day.AddDays(1))
            {
                code.AddRange(await reports.ClaudeCodeAsync(day, cancellationToken));
            }
        }

        var workspaces = await reports.WorkspacesAsync(cancellationToken);
        var keys = await reports.ApiKeysAsync(cancellationToken);
        var complete = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (usageFrom < usageUntil)
        {
            complete[UsageReport] = usageUntil;
        }

        if (costFrom < dayUntil)
        {
            complete[CostReport] = Midnight(Min(dayUntil, today));
        }

        if (request.ClaudeCode && codeFrom < dayUntil)
        {
            complete[ClaudeCodeReport] = Midnight(Min(dayUntil, today));
        }

        var batch = new BilledBatch
        {
            UsageWindow = usageFrom < usageUntil ? (usageFrom, usageUntil) : null,
            Usage = usage,
            CostWindow = costFrom < dayUntil ? (costFrom, dayUntil) : null,
            Costs = costs,
            ClaudeCodeWindow = request.ClaudeCode && codeFrom < dayUntil ? (codeFrom, dayUntil) : null,
            ClaudeCode = code,
            Workspaces = workspaces,
            ApiKeys = keys,
            CompleteUntil = complete,
        };
        if (failures.Count == 0)
        {
            await store.StoreBilledAsync(batch, cancellationToken);
        }

        return new AdminSyncResult { Batch = batch, Stored = failures.Count == 0, CheckFailures = failures, Checked = request.Check, Notes = notes, Pages = reports.Pages };
    }

    /// <summary>Compares grouped usage rows with the organization-wide totals, bucket by bucket; a key seen twice in one
    /// fetch is a failure too.</summary>
    public static void CheckUsage(IReadOnlyList<BilledUsageRow> grouped, IReadOnlyList<BilledUsageRow> totals, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(grouped);
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(failures);
        foreach (var duplicate in grouped.GroupBy(static r => r.Key, StringComparer.Ordinal).Where(static g => g.Count() > 1))
        {
            failures.Add($"usage {Hour(duplicate.First().Bucket)}: the same row (model {duplicate.First().Model ?? "-"}, workspace {duplicate.First().WorkspaceId ?? "default"}) came {duplicate.Count()} times");
        }

        var sums = grouped.GroupBy(static r => r.Bucket).ToDictionary(static g => g.Key, static g => (Tokens: g.Aggregate(default(TokenCounts), static (a, r) => a + r.Tokens), Web: g.Sum(static r => r.WebSearchRequests)));
        var expected = totals.GroupBy(static r => r.Bucket).ToDictionary(static g => g.Key, static g => (Tokens: g.Aggregate(default(TokenCounts), static (a, r) => a + r.Tokens), Web: g.Sum(static r => r.WebSearchRequests)));
        foreach (var bucket in sums.Keys.Union(expected.Keys).Order())
        {
            var got = sums.GetValueOrDefault(bucket);
            var want = expected.GetValueOrDefault(bucket);
            if (got != want)
            {
                failures.Add($"usage {Hour(bucket)}: grouped rows add up to {got.Tokens.Total:N0} tokens ({got.Web} web searches), the organization total is {want.Tokens.Total:N0} ({want.Web})");
            }
        }
    }

    /// <summary>Compares grouped cost rows with the organization-wide totals, day by day.</summary>
    public static void CheckCosts(IReadOnlyList<BilledCostRow> grouped, IReadOnlyList<BilledCostRow> totals, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(grouped);
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(failures);
        foreach (var duplicate in grouped.GroupBy(static r => r.Key, StringComparer.Ordinal).Where(static g => g.Count() > 1))
        {
            failures.Add($"cost {duplicate.First().Day:yyyy-MM-dd}: the same row (workspace {duplicate.First().WorkspaceId ?? "default"}, \"{duplicate.First().Description}\") came {duplicate.Count()} times");
        }

        var sums = grouped.GroupBy(static r => r.Day).ToDictionary(static g => g.Key, static g => g.Sum(static r => r.AmountUsd));
        var expected = totals.GroupBy(static r => r.Day).ToDictionary(static g => g.Key, static g => g.Sum(static r => r.AmountUsd));
        foreach (var day in sums.Keys.Union(expected.Keys).Order())
        {
            var got = sums.GetValueOrDefault(day);
            var want = expected.GetValueOrDefault(day);
            if (Math.Abs(got - want) > CostRounding)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"cost {day:yyyy-MM-dd}: grouped rows add up to ${got:0.00####}, the organization total is ${want:0.00####}"));
            }
        }
    }

    private async Task<List<BilledUsageRow>> GroupedUsageAsync(DateTimeOffset from, DateTimeOffset until, List<string> notes, CancellationToken cancellationToken)
    {
        try
        {
            return await reports.UsageAsync(from, until, [.. AdminReports.UsageDimensions, .. AdminReports.NewerUsageDimensions], cancellationToken);
        }
        catch (AdminApiException ex) when (ex.Status == 400)
        {
            notes.Add($"The usage report refused the newer dimensions ({string.Join(", ", AdminReports.NewerUsageDimensions)}); rows are grouped without them.");
            return await reports.UsageAsync(from, until, AdminReports.UsageDimensions, cancellationToken);
        }
    }

    private async Task<DateOnly> DayFromAsync(string report, DateOnly? since, DateOnly until, CancellationToken cancellationToken)
    {
        if (since is { } day)
        {
            return day;
        }

        return await store.BilledCompleteUntilAsync(report, cancellationToken) is { } mark
            ? Min(DateOnly.FromDateTime(mark.UtcDateTime), until).AddDays(-DaysTrailing)
            : until.AddDays(-FirstSyncDays);
    }

    private static string Hour(DateTimeOffset bucket) => bucket.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static T Min<T>(T a, T b)
        where T : IComparable<T> => a.CompareTo(b) <= 0 ? a : b;
}
