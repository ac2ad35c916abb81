using System.Net;

namespace Tally.Server;

/// <summary>The address Kestrel binds, and whether only this machine can reach it.</summary>
/// <param name="Address">The IP address (for <c>localhost</c>: 127.0.0.1).</param>
/// <param name="Name">The name as configured.</param>
internal sealed record BindAddress(IPAddress Address, string Name)
{
    /// <summary>True for 127.0.0.0/8, ::1 and localhost.</summary>
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    /// <summary>True for 0.0.0.0 and :: (every interface).</summary>
    public bool IsWildcard => Address.Equals(IPAddress.Any) || Address.Equals(IPAddress.IPv6Any);

    /// <summary>The host names a request to this address may carry in its <c>Host</c> header.</summary>
    public IEnumerable<string> HostNames()
    {
        yield return Address.ToString();
        yield return Name;
        if (IsLoopback)
        {
            yield return "localhost";
            yield return "127.0.0.1";
            yield return "::1";
        }
    }

    /// <summary>Parses an IP literal (brackets allowed around IPv6), <c>localhost</c> or <c>*</c>; null for anything else.</summary>
    public static BindAddress? Parse(string? host)
    {
        var name = host?.Trim() ?? string.Empty;
        if (string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new BindAddress(IPAddress.Loopback, "localhost");
        }

        if (name == "*")
        {
            return new BindAddress(IPAddress.Any, name);
        }

        var literal = name.StartsWith('[') && name.EndsWith(']') ? name[1..^1] : name;
        return literal.Length > 0 && IPAddress.TryParse(literal, out var address) ? new BindAddress(address, literal) : null;
    }
}
