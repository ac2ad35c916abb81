using System.CommandLine;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Tally.Cli.App;
using Tally.Cli.StatusLine;
using Tally.Core.Limits;
using Tally.Core.Storage;
using Tally.Ingest.ClaudeCode;
using Tally.Ingest.Sync;
using Tally.Storage.Sqlite;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally statusline</c>: one line for Claude Code's <c>statusLine</c> hook. It never scans history: it reads the index,
/// after an incremental sync of only the transcript the input names (and that session's subagent transcripts), and
/// stores the input's <c>rate_limits</c> as observed signals. It always prints one line and exits 0 — a short message
/// on bad input, or the input's own figures when the index is busy — so a render never fails or piles up.
/// </summary>
internal sealed class StatusLineCommand : Command
{
    /// <summary>How long a render waits for another process's write lock before it shows what the index has.</summary>
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Claude models' context window unless the input or the model id (<c>[1m]</c>) says otherwise.</summary>
    private const long DefaultContextWindow = 200_000;

    private readonly TallyContext _context;

    /// <summary>Creates the verb.</summary>
    public StatusLineCommand(TallyContext context)
        : base("statusline", "One line for Claude Code's statusLine hook (reads its JSON on stdin): model, session/today/block cost, burn rate, context, plan utilisation")
    {
        _context = context;
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var environment = _context.Environment;
        string line;
        try
        {
            line = await RenderAsync(_context.Global.Read(result), environment, cancellationToken);
        }
#pragma warning disable CA1031 // A status line must print a line whatever happened; the reason is that line.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            line = "tally: " + Short(ex);
        }

        await environment.Out.WriteLineAsync(line.AsMemory(), cancellationToken);
        await environment.Out.FlushAsync(cancellationToken);
        return ExitCodes.Ok;
    }

    private static async Task<string> RenderAsync(GlobalSettings settings, TallyEnvironment environment, CancellationToken cancellationToken)
    {
        var input = StatusInput.Parse(await ReadInputAsync(environment.In, cancellationToken), out var problem);
        if (input is null)
        {
            return "tally: " + problem;
        }

        var paths = TallyPaths.Resolve(settings.DataDirectory, settings.ConfigDirectory, environment.Variable);
        if (settings.Demo)
        {
            paths = DemoData.PathsFor(paths);
        }

        var config = TallyConfig.Load(paths.ConfigFile, []);
        var zone = (config.TimeZone is { } id ? App.Options.FindZone(id) : null) ?? environment.LocalZone;
        var mode = config.CostMode ?? CostMode.Auto;
        var now = environment.Clock.GetUtcNow();
        var snapshot = new StatusSnapshot
        {
            Model = input.ModelName ?? (input.ModelId is { } modelId ? Output.Format.ShortModel(modelId) : null),
            SessionCostUsd = input.ClientCostUsd,
            SessionCostIsClientEstimate = true,
            FiveHour = input.FiveHour,
            SevenDay = input.SevenDay,
        };
        snapshot = WithContext(snapshot, input);

        await using var store = SqliteUsageStore.Open(paths.IndexFile, BusyTimeout);
        var busy = false;
        if (!settings.NoSync && Transcripts(input.TranscriptPath) is { Count: > 0 } files)
        {
            try
            {
                var catalog = CatalogLoader.Load(paths, []);
                var resolver = Resolver(config);
                await new TranscriptSync(store, catalog, resolver, parallelism: 1, limitZone: environment.LocalZone).RunOnlyAsync(files, cancellationToken);
            }
            catch (SqliteException)
            {
                busy = true; // another process holds the index: show what it has
            }
        }

        try
        {
            await store.RecordSignalsAsync(Signals(input, now), cancellationToken);
        }
        catch (SqliteException)
        {
            busy = true; // the next render records them
        }

        try
        {
            snapshot = await WithIndexAsync(snapshot, store, input, environment.Clock, zone, mode, cancellationToken);
        }
        catch (SqliteException)
        {
            busy = true;
        }

        var colour = string.IsNullOrEmpty(environment.Variable("NO_COLOR"));
        return StatusLineFormatter.Format(busy ? snapshot with { Note = "index busy" } : snapshot, now, zone, colour);
    }

    private static async Task<StatusSnapshot> WithIndexAsync(StatusSnapshot snapshot, SqliteUsageStore store, StatusInput input, TimeProvider clock, TimeZoneInfo zone, CostMode mode, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (input.SessionId is { Length: > 0 } session)
        {
            var rows = await store.AggregateAsync(new UsageQuery { SessionId = session, CostMode = mode }, cancellationToken);
            if (rows.Sum(static r => r.Calls) > 0)
            {
                snapshot = snapshot with { SessionCostUsd = rows.Sum(static r => r.CostUsd), SessionCostIsClientEstimate = false };
            }
        }

        // The metering proxy's reading of Anthropic's unified rate-limit headers is the authoritative plan usage: when it
        // has a current one, it replaces the figure Claude Code passed in.
        var headers = (await store.SignalsAsync(now - TimeSpan.FromHours(5), cancellationToken))
            .Where(s => s.Kind == SignalKind.Header && s.Utilisation is not null && s.ResetsAt > now).ToList();
        if (Latest(headers, WindowKind.FiveHour) is { } five)
        {
            snapshot = snapshot with { FiveHour = new RateLimit(five.Utilisation!.Value, five.ResetsAt) };
        }

        if (Latest(headers, WindowKind.Weekly) is { } week)
        {
            snapshot = snapshot with { SevenDay = new RateLimit(week.Utilisation!.Value, week.ResetsAt) };
        }

        var today = await store.AggregateAsync(new UsageQuery { From = PlanUsage.StartOfDay(now, zone), CostMode = mode }, cancellationToken);
        var block = await new UsageWindows(store, clock).ActiveBlockAsync(new BlockRequest { CostMode = mode }, cancellationToken);
        return snapshot with
        {
            TodayCostUsd = today.Sum(static r => r.CostUsd),
            BlockCostUsd = block?.Totals.CostUsd,
            BlockLeft = block is null ? null : block.End - now,
            NoActiveBlock = block is null,
            CostPerHour = block?.BurnRate?.CostPerHour,
        };
    }

    private static ObservedSignal? Latest(IEnumerable<ObservedSignal> signals, WindowKind window) =>
        signals.Where(s => s.Window == window).MaxBy(static s => s.LatestObservation);

    /// <summary>Context use against the model's real window: the input's size when it gives one, else 1M for a
    /// <c>[1m]</c> model id, else 200k.</summary>
    private static StatusSnapshot WithContext(StatusSnapshot snapshot, StatusInput input)
    {
        var window = input.ContextWindowSize is > 0 ? input.ContextWindowSize
            : input.ModelId?.Contains("[1m]", StringComparison.OrdinalIgnoreCase) == true ? 1_000_000
            : DefaultContextWindow;
        if (input.ContextTokens is { } tokens)
        {
            return snapshot with { ContextTokens = tokens, ContextWindow = window, ContextPercent = tokens * 100m / window.Value };
        }

        return input.ContextUsedPercent is { } percent ? snapshot with { ContextPercent = percent, ContextWindow = window } : snapshot;
    }

    /// <summary>The input's <c>rate_limits</c> as signals, keyed by window, reset and figure: renders repeating the same
    /// reading update one row.</summary>
    private static List<ObservedSignal> Signals(StatusInput input, DateTimeOffset now)
    {
        var signals = new List<ObservedSignal>();
        foreach (var (limit, window, name) in new[] { (input.FiveHour, WindowKind.FiveHour, "5h"), (input.SevenDay, WindowKind.Weekly, "7d") })
        {
            if (limit is null)
            {
                continue;
            }

            var reset = limit.ResetsAt?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) ?? "-";
            signals.Add(new ObservedSignal
            {
                Key = $"status:{name}:{reset}:{limit.UsedPercent.ToString(CultureInfo.InvariantCulture)}",
                Kind = SignalKind.StatusLine,
                Window = window,
                Utilisation = limit.UsedPercent,
                ResetsAt = limit.ResetsAt,
                ObservedAt = now,
                Source = input.SessionId is { } session ? "statusline " + session : "statusline",
            });
        }

        return signals;
    }

    /// <summary>The transcript the input names and that session's subagent transcripts, when it is a transcript that
    /// exists; nothing else is looked at.</summary>
    private static List<TranscriptFile> Transcripts(string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || !path.EndsWith(".jsonl", StringComparison.Ordinal) || !Path.IsPathFullyQualified(path))
        {
            return [];
        }

        var main = new FileInfo(path);
        if (!main.Exists)
        {
            return [];
        }

        var files = new List<TranscriptFile> { new(main.FullName, main.Length, main.LastWriteTimeUtc.Ticks) };
        var subagents = Path.Combine(main.DirectoryName!, Path.GetFileNameWithoutExtension(main.Name), "subagents");
        if (Directory.Exists(subagents))
        {
            files.AddRange(new DirectoryInfo(subagents).EnumerateFiles("*.jsonl").Select(static f => new TranscriptFile(f.FullName, f.Length, f.LastWriteTimeUtc.Ticks)));
        }

        return files;
    }

    private static ProjectResolver Resolver(TallyConfig config)
    {
        try
        {
            return new ProjectResolver(config.WorktreePatterns);
        }
        catch (ArgumentException)
        {
            return new ProjectResolver();
        }
    }

    private static async Task<string> ReadInputAsync(TextReader input, CancellationToken cancellationToken)
    {
        var buffer = new char[StatusInput.MaxLength + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await input.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return total > StatusInput.MaxLength ? string.Empty : new string(buffer, 0, total);
    }

    private static string Short(Exception ex)
    {
        var message = ex.Message.ReplaceLineEndings(" ");
        return message.Length <= 120 ? message : message[..120] + "…";
    }
}
