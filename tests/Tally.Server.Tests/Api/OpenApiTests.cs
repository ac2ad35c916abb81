using System.Text.Json;
using Tally.Server.Tests.Harness;

namespace Tally.Server.Tests.Api;

/// <summary>The hand-maintained OpenAPI document against the routes the server maps and the parameters each accepts.</summary>
public class OpenApiTests(DemoServer fixture) : IClassFixture<DemoServer>
{
    private readonly ServerHarness _server = fixture.Server;

    [Fact]
    public async Task Every_route_is_documented_and_every_documented_operation_is_a_route()
    {
        var document = await _server.GetJsonAsync("/openapi.json");
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(static p => p.Value.EnumerateObject().Select(o => $"{o.Name.ToUpperInvariant()} {p.Name}"))
            .Order(StringComparer.Ordinal).ToList();
        var routes = _server.Server.Routes.Where(static r => r != "GET /{**path}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal("3.1.0", document.GetProperty("openapi").GetString());
        Assert.Equal(routes, documented);
        Assert.Equal(routes, TallyServer.Parameters.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Each_operation_lists_exactly_the_query_parameters_its_endpoint_accepts_with_their_values()
    {
        var document = await _server.GetJsonAsync("/openapi.json");
        foreach (var (route, accepted) in TallyServer.Parameters)
        {
            var (method, path) = (route.Split(' ')[0].ToLowerInvariant(), route.Split(' ')[1]);
            var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
            var parameters = operation.GetProperty("parameters").EnumerateArray().Select(p => Resolve(document, p))
                .Where(static p => p.GetProperty("in").GetString() == "query").ToDictionary(static p => p.GetProperty("name").GetString()!);

            Assert.True(accepted.Select(static a => a.Name).Order(StringComparer.Ordinal).SequenceEqual(parameters.Keys.Order(StringComparer.Ordinal)), $"{route}: documented {string.Join(", ", parameters.Keys)}");
            foreach (var parameter in accepted)
            {
                var schema = parameters[parameter.Name].GetProperty("schema");
                Assert.Equal(parameter.Type, schema.GetProperty("type").GetString());
                var values = schema.TryGetProperty("enum", out var e) ? e.EnumerateArray().Select(static v => v.GetString()!).ToList() : null;
                Assert.True((parameter.Values ?? []).SequenceEqual(values ?? []), $"{route} {parameter.Name}: documented values {string.Join(", ", values ?? [])}");
            }

            Assert.True(operation.GetProperty("responses").TryGetProperty("200", out _), route);
            Assert.True(operation.GetProperty("responses").TryGetProperty("400", out _), route);
        }
    }

    [Fact]
    public async Task Every_reference_in_the_document_resolves()
    {
        var document = await _server.GetJsonAsync("/openapi.json");
        var references = new List<string>();
        Collect(document, references);

        Assert.NotEmpty(references);
        Assert.All(references, r => Resolve(document, JsonDocument.Parse($"{{\"$ref\":\"{r}\"}}").RootElement));
    }

    private static JsonElement Resolve(JsonElement document, JsonElement node)
    {
        if (!node.TryGetProperty("$ref", out var reference))
        {
            return node;
        }

        var target = document;
        foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/'))
        {
            Assert.True(target.TryGetProperty(part, out target), $"{reference.GetString()} does not resolve");
        }

        return target;
    }

    private static void Collect(JsonElement node, List<string> references)
    {
        switch (node.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in node.EnumerateObject())
                {
                    if (property.Name == "$ref")
                    {
                        references.Add(property.Value.GetString()!);
                    }
                    else
                    {
                        Collect(property.Value, references);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in node.EnumerateArray())
                {
                    Collect(item, references);
                }

                break;
        }
    }
}
