using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Tally.Bench.Common;
using Tally.Core.Pricing;
using Tally.Proxy;
using Tally.Server;
using Tally.Storage.Sqlite;

namespace Tally.Bench.Proxy;

/// <summary>The proxy the bench sends calls through, with what it can tell about its metering and memory.</summary>
internal interface IProxyTarget : IAsyncDisposable
{
    Uri Address { get; }

    string Description { get; }

    /// <summary>The memory columns' heading (matches <see cref="Memory"/>).</summary>
    string MemoryColumns { get; }

    /// <summary>Records the proxy has written to its index so far.</summary>
    long Written();

    /// <summary>The failure counters it can report, as text.</summary>
    string Failures();

    /// <summary>False when the proxy reported a metering failure.</summary>
    bool Healthy();

    /// <summary>The memory figures now, formatted for the table.</summary>
    string Memory();
}

/// <summary>The proxy's host inside the bench's process (one process for clients, proxy and upstream).</summary>
internal sealed class InProcessProxy(SqliteUsageStore store, ProxyServer proxy) : IProxyTarget
{
    public Uri Address => proxy.Addresses.Single();

    public string Description => "in this process (JIT)";

    public string MemoryColumns => "working set MB  managed heap MB (the whole bench process)";

    public static async Task<IProxyTarget> StartAsync(Uri upstream, string folder)
    {
        var store = SqliteUsageStore.Open(Path.Combine(folder, "index.db"));
        var options = new ProxyOptions { Upstream = upstream, AccountSalt = new byte[32] };
        var proxy = ProxyServer.Create(new ServerOptions { Port = 0 }, new ServerData { Store = store, Catalog = PriceCatalog.Embedded, Zone = TimeZoneInfo.Utc, Proxy = options });
        await proxy.StartAsync(CancellationToken.None);
        return new InProcessProxy(store, proxy);
    }

    public long Written() => proxy.Stats.Written;

    public string Failures() => Fmt.Inv0($"dropped {proxy.Stats.Dropped}, write failures {proxy.Stats.WriteFailures}, meter failures {proxy.Stats.MeterFailures}, unmetered {proxy.Stats.Unmetered}");

    public bool Healthy() => proxy.Stats.MeterFailures == 0;

    public string Memory()
    {
        using var process = Process.GetCurrentProcess();
        return Fmt.Inv0($"{process.WorkingSet64 / 1_048_576.0,14:0.0}{GC.GetTotalMemory(false) / 1_048_576.0,17:0.0}");
    }

    public async ValueTask DisposeAsync()
    {
        await proxy.DisposeAsync();
        await store.DisposeAsync();
    }
}

/// <summary><c>tally proxy</c> run from a <c>tally</c> executable as its own process, over its own index.</summary>
internal sealed class NativeProxy(Process process, Uri address, string index) : IProxyTarget
{
    public Uri Address => address;

    public string Description => Fmt.Inv0($"`tally proxy` as its own process (pid {process.Id})");

    public string MemoryColumns => "proxy RSS MB  proxy peak RSS MB";

    public static async Task<IProxyTarget> StartAsync(string tally, Uri upstream, string folder)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(tally) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "proxy", "--port", port.ToString(CultureInfo.InvariantCulture), "--upstream", upstream.ToString(), "--data-dir", Path.Combine(folder, "data"), "--config-dir", Path.Combine(folder, "config"), "--no-sync" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = folder;
        start.Environment["CLAUDE_CONFIG_DIR"] = Path.Combine(folder, "no-claude");
        var process = Process.Start(start) ?? throw new InvalidOperationException("tally proxy did not start");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = new Uri(Fmt.Inv0($"http://127.0.0.1:{port}/"));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"tally proxy exited with {process.ExitCode}");
            }

            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(50);
            }
        }

        return new NativeProxy(process, address, Path.Combine(folder, "data", "index.db"));
    }

    public long Written()
    {
        using var connection = new SqliteConnection($"Data Source={index};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM records;";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public string Failures() => "failure counters are inside the proxy process (its log); every call's record is counted in the index";

    public bool Healthy() => !process.HasExited;

    public string Memory()
    {
        long Kb(string field) => File.ReadLines($"/proc/{process.Id}/status").Where(l => l.StartsWith(field, StringComparison.Ordinal))
            .Select(static l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault();
        return Fmt.Inv0($"{Kb("VmRSS:") / 1024.0,12:0.0}{Kb("VmHWM:") / 1024.0,18:0.0}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
