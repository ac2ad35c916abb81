namespace Tally.Dashboard.Tests.Harness;

/// <summary>An API query string built the way the page documents its own (parameters in the order given, values escaped).</summary>
public static class Query
{
    public static string Of(params (string Name, string? Value)[] parameters) =>
        string.Join('&', parameters.Where(static p => p.Value is not null).Select(static p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value!)}"));

    public static string And(string query, string more) => query.Length == 0 ? more : more.Length == 0 ? query : query + "&" + more;
}
