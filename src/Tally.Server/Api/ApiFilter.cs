using System.Globalization;
using System.Text.RegularExpressions;
using Tally.Core.Reports;
using Tally.Core.Storage;
using Tally.Core.Usage;
using Tally.Server.Http;

namespace Tally.Server.Api;

/// <summary>
/// The filters every data endpoint takes, read from the query string and resolved to what the index holds. Each one
/// applies to every record before anything is summed, so an endpoint's totals, series and tables always agree.
/// </summary>
internal sealed partial record ApiFilter
{
    /// <summary>The earliest day accepted (a bound far outside any usage, but one every time zone can convert).</summary>
    public static readonly DateOnly FirstDay = new(1970, 1, 1);

    /// <summary>The latest day accepted.</summary>
    public static readonly DateOnly LastDay = new(9000, 12, 31);

    /// <summary>The filter parameters.</summary>
    public static readonly IReadOnlyList<Parameter> Parameters =
    [
        new("start_date"),
        new("end_date"),
        new("timezone"),
        new("project", List: true),
        new("models", List: true),
        Parameter.OneOf("source", "all", "claude_code", "internal", "proxy"),
        Parameter.OneOf("execution_mode", "cloud", "local"),
        Parameter.OneOf("cost_mode", "auto", "calculate", "display"),
    ];

    /// <summary>The report request the filter describes (kind: daily; range, zone, cost mode, aliases, first day of week).</summary>
    public required ReportRequest Request { get; init; }

    /// <summary>The filter resolved to the index's values (range as instants, exact model ids and project paths).</summary>
    public required UsageQuery Query { get; init; }

    /// <summary>The source asked for, as named in the query (<c>all</c> when absent).</summary>
    public required string Source { get; init; }

    /// <summary>The execution mode asked for, as named in the query (null for both).</summary>
    public string? ExecutionMode { get; init; }

    /// <summary>The project names asked for, as given (null for all).</summary>
    public IReadOnlyList<string>? Projects { get; init; }

    /// <summary>The report request for <paramref name="kind"/> with this filter's range and settings.</summary>
    public ReportRequest For(ReportKind kind) => Request with { Kind = kind };

    /// <summary>
    /// Reads the filter parameters; null (with the problems in <paramref name="query"/>'s errors) when any is bad.
    /// <paramref name="defaultFrom"/> gives a range start when the request has no dates at all (agent cards: the last day).
    /// </summary>
    public static async Task<ApiFilter?> ReadAsync(QueryReader query, ServerData data, CancellationToken cancellationToken, Func<DateTimeOffset, DateTimeOffset>? defaultFrom = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(data);
        var zone = Zone(query, data);
        var since = Day(query, "start_date");
        var until = Day(query, "end_date");
        if (since is { } s && until is { } u && s > u)
        {
            query.Fail("start_date", $"{Iso(s)} is after end_date {Iso(u)}.");
        }

        var source = query.Choice("source") ?? "all";
        var mode = query.Choice("execution_mode");
        var costMode = query.Choice("cost_mode") switch
        {
            "calculate" => CostMode.Calculate,
            "display" => CostMode.Display,
            "auto" => CostMode.Auto,
            _ => data.CostMode,
        };
        var models = query.List("models");
        var projects = query.Each("project");
        if (query.Failed)
        {
            return null;
        }

        var request = new ReportRequest
        {
            Kind = ReportKind.Daily,
            Zone = zone,
            Since = since,
            Until = until,
            CostMode = costMode,
            ProjectAliases = data.ProjectAliases,
            StartOfWeek = data.StartOfWeek,
        };
        var from = request.From;
        if (from is null && request.To is null && defaultFrom is not null)
        {
            from = defaultFrom(data.Clock.GetUtcNow());
        }

        return new ApiFilter
        {
            Request = request,
            Source = source,
            ExecutionMode = mode,
            Projects = projects,
            Query = new UsageQuery
            {
                From = from,
                Until = request.To,
                CostMode = costMode,
                Models = models,
                Projects = projects is null ? null : await Filters.ProjectsAsync(data.Reader(), projects, data.ProjectAliases, cancellationToken),
                Sources = source switch
                {
                    "claude_code" => [UsageSource.ClaudeCode],
                    "internal" => [UsageSource.Internal],
                    "proxy" => [UsageSource.Proxy],
                    _ => null,
                },
                ExecutionMode = mode switch
                {
                    "cloud" => Core.Usage.ExecutionMode.Cloud,
                    "local" => Core.Usage.ExecutionMode.Local,
                    _ => null,
                },
            },
        };
    }

    /// <summary>The same filter over the window of the same number of days that ends where this one starts.</summary>
    public ApiFilter Previous()
    {
        var since = Request.Since ?? throw new InvalidOperationException("A previous window needs a start day.");
        var until = Request.Until ?? throw new InvalidOperationException("A previous window needs an end day.");
        var days = until.DayNumber - since.DayNumber + 1;
        var request = Request with { Since = since.AddDays(-days), Until = since.AddDays(-1) };
        return this with { Request = request, Query = Query with { From = request.From, Until = request.To } };
    }

    /// <summary>A day as the API writes it.</summary>
    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A day parameter (YYYY-MM-DD or YYYYMMDD, within <see cref="FirstDay"/>..<see cref="LastDay"/>); null when absent or bad.</summary>
    internal static DateOnly? Day(QueryReader query, string name)
    {
        var text = query.Text(name);
        if (text is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text, ["yyyy-MM-dd", "yyyyMMdd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            query.Fail(name, $"\"{QueryReader.Shown(text)}\" is not a date: use YYYY-MM-DD (or YYYYMMDD).");
            return null;
        }

        if (day < FirstDay || day > LastDay)
        {
            query.Fail(name, $"{Iso(day)} is outside {Iso(FirstDay)} to {Iso(LastDay)}.");
            return null;
        }

        return day;
    }

    /// <summary>The <c>timezone</c> parameter (an IANA name), else the server's zone.</summary>
    internal static TimeZoneInfo Zone(QueryReader query, ServerData data)
    {
        var id = query.Text("timezone");
        if (id is null)
        {
            return data.Zone;
        }

        if (string.Equals(id, "UTC", StringComparison.OrdinalIgnoreCase) || id == "Z")
        {
            return TimeZoneInfo.Utc;
        }

        // Only names shaped like IANA ids reach the system's lookup (which reads files named after them).
        if (ZoneId().IsMatch(id) && !id.Contains("..", StringComparison.Ordinal) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            return zone;
        }

        query.Fail("timezone", $"\"{QueryReader.Shown(id)}\" is not a time zone this system knows: use an IANA name such as Europe/Paris or UTC.");
        return data.Zone;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ZoneId();
}
