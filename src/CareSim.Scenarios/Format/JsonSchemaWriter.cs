using System.Text.Encodings.Web;
using System.Text.Json;

namespace CareSim.Scenarios.Format;

/// <summary>Writes a <see cref="ObjectType"/> tree as a JSON Schema (draft-07) document.</summary>
internal sealed class JsonSchemaWriter
{
    public const string Draft = "http://json-schema.org/draft-07/schema#";

    private readonly Utf8JsonWriter _json;
    private readonly List<SchemaType> _definitions = [];

    private JsonSchemaWriter(Utf8JsonWriter json) => _json = json;

    public static string Write(ObjectType root, string title)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            IndentSize = 2,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            new JsonSchemaWriter(json).WriteDocument(root, title);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private void WriteDocument(ObjectType root, string title)
    {
        _json.WriteStartObject();
        _json.WriteString("$schema", Draft);
        _json.WriteString("title", title);
        WriteObjectBody(root, root.Description);
        // Definitions may reference further definitions: write until none is pending.
        _json.WritePropertyName("definitions");
        _json.WriteStartObject();
        for (var i = 0; i < _definitions.Count; i++)
        {
            var definition = _definitions[i];
            _json.WritePropertyName(DefinitionName(definition)!);
            WriteInline(definition, null, null);
        }
        _json.WriteEndObject();
        _json.WriteEndObject();
    }

    private static string? DefinitionName(SchemaType type) => type switch
    {
        ObjectType o => o.DefinitionName,
        UnionType u => u.DefinitionName,
        _ => null,
    };

    /// <summary>Writes a schema for a value of <paramref name="type"/>, by reference when it is a shared definition.</summary>
    private void WriteType(SchemaType type, string? description, object? defaultValue)
    {
        if (DefinitionName(type) is not { } name)
        {
            WriteInline(type, description, defaultValue);
            return;
        }
        if (!_definitions.Contains(type)) _definitions.Add(type);
        _json.WriteStartObject();
        if (description is null)
        {
            _json.WriteString("$ref", "#/definitions/" + name);
        }
        else
        {
            // draft-07 ignores siblings of $ref; allOf keeps the field's own description.
            _json.WriteString("description", description);
            _json.WritePropertyName("allOf");
            _json.WriteStartArray();
            _json.WriteStartObject();
            _json.WriteString("$ref", "#/definitions/" + name);
            _json.WriteEndObject();
            _json.WriteEndArray();
        }
        _json.WriteEndObject();
    }

    private void WriteInline(SchemaType type, string? description, object? defaultValue)
    {
        _json.WriteStartObject();
        switch (type)
        {
            case ObjectType o:
                WriteObjectBody(o, description ?? o.Description);
                break;

            case UnionType u:
                if ((description ?? u.Description) is { } unionDescription) _json.WriteString("description", unionDescription);
                _json.WriteString("type", "object");
                _json.WritePropertyName("properties");
                _json.WriteStartObject();
                _json.WritePropertyName(u.Discriminator);
                _json.WriteStartObject();
                WriteStrings("enum", u.Values);
                _json.WriteEndObject();
                _json.WriteEndObject();
                WriteStrings("required", [u.Discriminator]);
                _json.WritePropertyName("oneOf");
                _json.WriteStartArray();
                foreach (var (_, branch) in u.Branches)
                {
                    _json.WriteStartObject();
                    _json.WriteString("title", branch.Title);
                    WriteObjectBody(branch, branch.Description);
                    _json.WriteEndObject();
                }
                _json.WriteEndArray();
                break;

            case ArrayType a:
                WriteDescription(description);
                _json.WriteString("type", "array");
                _json.WritePropertyName("items");
                WriteType(a.Items, null, null);
                if (a.MinItems > 0) _json.WriteNumber("minItems", a.MinItems);
                if (a.MaxItems > 0) _json.WriteNumber("maxItems", a.MaxItems);
                if (a.UniqueItems) _json.WriteBoolean("uniqueItems", true);
                break;

            case StringType s:
                WriteDescription(description);
                _json.WriteString("type", "string");
                if (s.MinLength > 0) _json.WriteNumber("minLength", s.MinLength);
                break;

            case MonthType:
                WriteDescription(description);
                _json.WriteString("type", "string");
                _json.WriteString("pattern", MonthType.Pattern);
                break;

            case NumberType n:
                WriteDescription(description);
                _json.WriteString("type", "number");
                if (n.Minimum is { } min) _json.WriteNumber(n.ExclusiveMinimum ? "exclusiveMinimum" : "minimum", min);
                if (n.Maximum is { } max) _json.WriteNumber("maximum", max);
                break;

            case IntegerType i:
                WriteDescription(description);
                _json.WriteString("type", "integer");
                if (i.Minimum is { } imin) _json.WriteNumber("minimum", imin);
                if (i.Maximum is { } imax) _json.WriteNumber("maximum", imax);
                break;

            case BooleanType:
                WriteDescription(description);
                _json.WriteString("type", "boolean");
                break;

            case EnumType e:
                WriteDescription(description);
                if (e.Values.Count == 1) _json.WriteString("const", e.Values[0]);
                else WriteStrings("enum", e.Values);
                break;

            default:
                throw new InvalidOperationException($"no JSON Schema for {type.GetType().Name}");
        }
        if (defaultValue is not null) WriteDefault(defaultValue);
        _json.WriteEndObject();
    }

    private void WriteObjectBody(ObjectType type, string? description)
    {
        WriteDescription(description);
        _json.WriteString("type", "object");
        _json.WritePropertyName("properties");
        _json.WriteStartObject();
        foreach (var field in type.Fields)
        {
            _json.WritePropertyName(field.Name);
            var text = field.JsonDefault is null && field.Default is { } d ? $"{field.Description} Default: {d.Replace("`", "", StringComparison.Ordinal)}." : field.Description;
            WriteType(field.Type, text, field.JsonDefault);
        }
        _json.WriteEndObject();
        var required = type.Fields.Where(f => f.Required).Select(f => f.Name).ToList();
        if (required.Count > 0) WriteStrings("required", required);
        _json.WriteBoolean("additionalProperties", false);
    }

    private void WriteDescription(string? description)
    {
        if (description is not null) _json.WriteString("description", description);
    }

    private void WriteStrings(string name, IEnumerable<string> values)
    {
        _json.WritePropertyName(name);
        _json.WriteStartArray();
        foreach (var value in values) _json.WriteStringValue(value);
        _json.WriteEndArray();
    }

    private void WriteDefault(object value)
    {
        switch (value)
        {
            case bool b: _json.WriteBoolean("default", b); break;
            case double d: _json.WriteNumber("default", d); break;
            case decimal m: _json.WriteNumber("default", m); break;
            case string s: _json.WriteString("default", s); break;
            default: throw new InvalidOperationException($"unsupported default {value.GetType().Name}");
        }
    }
}
