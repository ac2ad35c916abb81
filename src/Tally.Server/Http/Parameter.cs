namespace Tally.Server.Http;

/// <summary>
/// One query parameter an endpoint accepts: the reader checks requests against it, and the tests check the OpenAPI
/// document against it, so the documentation cannot drift from what the code takes.
/// </summary>
/// <param name="Name">The name in the query string.</param>
/// <param name="Type">The OpenAPI type: <c>string</c>, <c>integer</c>, <c>number</c> or <c>boolean</c>.</param>
/// <param name="Values">The accepted values, for an enumeration.</param>
/// <param name="List">True when the value is a comma-separated list and the key may be repeated (values are merged).</param>
internal sealed record Parameter(string Name, string Type = "string", IReadOnlyList<string>? Values = null, bool List = false)
{
    /// <summary>An enumeration parameter.</summary>
    public static Parameter OneOf(string name, params string[] values) => new(name, Values: values);
}
