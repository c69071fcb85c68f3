using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace CareSim.Web.Tests.Contract;

/// <summary>
/// The served OpenAPI document as a checker of real responses: each response's status must be
/// declared for its operation, its media type declared for that status, and its body valid
/// against the declared schema (JSON Schema 2020-12, JsonSchema.Net). Objects may carry no
/// property the document does not declare (except problem details, which ASP.NET Core may extend).
/// Records which operations were checked, so a test can require all of them.
/// </summary>
public sealed class OpenApiContract
{
    private readonly JsonObject _document;
    private readonly JsonObject _definitions;
    private readonly HashSet<string> _checked = [];

    public OpenApiContract(string json)
    {
        _document = JsonNode.Parse(json)!.AsObject();
        _definitions = new JsonObject();
        foreach (var (name, schema) in _document["components"]?["schemas"]?.AsObject() ?? [])
        {
            var copy = Rewrite(schema!.DeepClone());
            if (name != "ApiProblem") Close(copy);
            _definitions[name] = copy;
        }
    }

    public JsonObject Document => _document;

    /// <summary>Every operation of the document, as "METHOD /path/{template}".</summary>
    public IReadOnlySet<string> Operations =>
        _document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}")).ToHashSet();

    public IReadOnlySet<string> Checked => _checked;

    /// <summary>The declared operation (throws when the document does not have it).</summary>
    public JsonObject Operation(string method, string template) =>
        _document["paths"]?[template]?[method.ToLowerInvariant()]?.AsObject()
        ?? throw new Xunit.Sdk.XunitException($"the document has no operation {method} {template}");

    /// <summary>Checks a response against the document; returns its body parsed (JSON) or null (other media types).</summary>
    public async Task<JsonNode?> CheckAsync(string method, string template, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        return Check(method, template, (int)response.StatusCode, mediaType, body);
    }

    public JsonNode? Check(string method, string template, int status, string mediaType, string body)
    {
        var operation = Operation(method, template);
        _checked.Add($"{method.ToUpperInvariant()} {template}");
        var response = operation["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            ?? throw new Xunit.Sdk.XunitException($"{method} {template}: status {status} is not declared (body: {Truncate(body)})");
        var content = response["content"]?.AsObject();
        if (content is null || content.Count == 0)
        {
            Assert.True(body.Length == 0, $"{method} {template} {status}: the document declares no body, got {Truncate(body)}");
            return null;
        }
        var declared = content.FirstOrDefault(c => c.Key.Split(';')[0].Trim() == mediaType);
        if (declared.Value is null)
            throw new Xunit.Sdk.XunitException($"{method} {template} {status}: media type '{mediaType}' is not declared ({string.Join(", ", content.Select(c => c.Key))})");
        if (!mediaType.EndsWith("json", StringComparison.Ordinal)) return null;
        var node = JsonNode.Parse(body);
        Validate(declared.Value["schema"], node, $"{method} {template} {status}");
        return node;
    }

    /// <summary>Validates <paramref name="value"/> against <paramref name="schema"/> (a schema of the document, its references resolved).</summary>
    public void Validate(JsonNode? schema, JsonNode? value, string where)
    {
        if (schema is null) return;
        var root = Rewrite(schema.DeepClone()) as JsonObject ?? new JsonObject();
        if (root["$ref"] is not null || root.Count == 0) root = new JsonObject { ["allOf"] = new JsonArray(root) };
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = _definitions.DeepClone();
        var compiled = JsonSchema.FromText(root.ToJsonString());
        var element = JsonSerializer.SerializeToElement(value);
        var result = compiled.Evaluate(element, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}").Take(10);
            throw new Xunit.Sdk.XunitException($"{where}: the body does not match the document: {string.Join(" | ", errors)}\nbody: {Truncate(value?.ToJsonString() ?? "null")}");
        }
    }

    /// <summary>A component schema by name (references resolved when validated).</summary>
    public JsonNode Schema(string name) => new JsonObject { ["$ref"] = $"#/components/schemas/{name}" };

    /// <summary>Points the document's references (#/components/schemas/X) to the validator's definitions (#/$defs/X).</summary>
    private static JsonNode Rewrite(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (key == "$ref" && o[key]!.GetValue<string>() is var reference && reference.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                        o[key] = "#/$defs/" + reference["#/components/schemas/".Length..];
                    else if (o[key] is { } child) Rewrite(child);
                }
                break;
            case JsonArray a:
                foreach (var child in a) if (child is not null) Rewrite(child);
                break;
        }
        return node;
    }

    /// <summary>Objects with declared properties may have no others: a field the document does not declare is a contract breach too.</summary>
    private static void Close(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["properties"] is JsonObject && o["additionalProperties"] is null) o["additionalProperties"] = false;
                foreach (var (_, child) in o.ToList()) if (child is not null) Close(child);
                break;
            case JsonArray a:
                foreach (var child in a) if (child is not null) Close(child);
                break;
        }
    }

    private static string Truncate(string text) => text.Length <= 600 ? text : text[..600] + "...";
}
