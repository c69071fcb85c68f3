using System.Globalization;
using CareSim.Model.Time;
using CareSim.Scenarios.Yaml;
using YamlDotNet.RepresentationModel;

namespace CareSim.Scenarios.Format;

/// <summary>
/// Checks a YAML tree against a <see cref="SchemaType"/>, reporting every problem, and returns
/// the valid part as <see cref="VNode"/>s.
/// </summary>
internal sealed class SchemaValidator(ErrorSink errors)
{
    public VNode? Validate(YamlNode node, SchemaType type, string path) => type switch
    {
        ObjectType o => ValidateObject(node, o, path),
        UnionType u => ValidateUnion(node, u, path),
        ArrayType a => ValidateArray(node, a, path),
        _ => ValidateScalar(node, type, path),
    };

    private VObject? ValidateObject(YamlNode node, ObjectType type, string path, string? variant = null)
    {
        if (node is not YamlMappingNode mapping)
        {
            errors.At(node, path, $"expected a mapping, got {YamlText.Describe(node)}");
            return null;
        }
        var result = new VObject(node, path) { Variant = variant };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } || YamlText.Classify((YamlScalarNode)keyNode) == ScalarKind.Null)
            {
                errors.At(keyNode, path, $"expected a {type.KeyNoun} name as the key, got {YamlText.Describe(keyNode)}");
                continue;
            }
            var childPath = PathText.Key(path, key);
            if (!type.TryGetField(key, out var field))
            {
                errors.At(keyNode, childPath, UnknownKey(type, key));
                continue;
            }
            seen.Add(key);
            result.MarkPresent(key);
            if (Validate(valueNode, field.Type, childPath) is { } value)
                result.Add(key, value);
        }
        foreach (var field in type.Fields)
        {
            if (field.Required && !seen.Contains(field.Name))
                errors.At(node, path, $"missing required {type.KeyNoun} '{field.Name}'"
                    + (field.Type is EnumType { Values.Count: > 1 } e ? "; expected one of: " + string.Join(", ", e.Values) : ""));
        }
        return result;
    }

    private static string UnknownKey(ObjectType type, string key)
    {
        var names = type.Fields.Select(f => f.Name).ToList();
        var message = $"unknown {type.KeyNoun} '{key}'";
        if (NameSuggestions.Closest(key, names) is { } suggestion)
            return message + $"; did you mean '{suggestion}'?";
        return type.UnknownKeyHint is { } hint
            ? message + "; " + hint
            : message + $"; valid {type.KeyNoun}s{(type.Title.StartsWith("event:", StringComparison.Ordinal) ? " of this event" : "")} are: " + string.Join(", ", names);
    }

    private VObject? ValidateUnion(YamlNode node, UnionType type, string path)
    {
        if (node is not YamlMappingNode mapping)
        {
            errors.At(node, path, $"expected a mapping, got {YamlText.Describe(node)}");
            return null;
        }
        var validValues = string.Join(", ", type.Values);
        var discriminator = mapping.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: var k } && k == type.Discriminator);
        if (discriminator.Key is null)
        {
            errors.At(node, path, $"missing required field '{type.Discriminator}'; expected one of: {validValues}");
            return null;
        }
        var valuePath = PathText.Key(path, type.Discriminator);
        var valueNode = discriminator.Value;
        if (valueNode is not YamlScalarNode scalar || YamlText.Classify(scalar) == ScalarKind.Null)
        {
            errors.At(valueNode, valuePath, $"expected one of: {validValues}; got {YamlText.Describe(valueNode)}");
            return null;
        }
        var branch = type.Find(scalar.Value!);
        if (branch is null)
        {
            var suggestion = NameSuggestions.Closest(scalar.Value!, type.Values);
            errors.At(valueNode, valuePath, $"unknown {type.Noun} '{scalar.Value}'"
                + (suggestion is null ? "; " : $"; did you mean '{suggestion}'? ")
                + $"valid {type.Noun}s are: {validValues}");
            return null;
        }
        return ValidateObject(node, branch, path, scalar.Value);
    }

    private VArray? ValidateArray(YamlNode node, ArrayType type, string path)
    {
        if (node is not YamlSequenceNode sequence)
        {
            errors.At(node, path, $"expected a list, got {YamlText.Describe(node)}");
            return null;
        }
        if (type.MaxItems > 0 && sequence.Children.Count > type.MaxItems)
        {
            errors.At(node, path, string.Create(CultureInfo.InvariantCulture, $"expected at most {type.MaxItems:N0} items, got {sequence.Children.Count:N0}"));
            return null;
        }
        var items = new List<VNode?>();
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var child = sequence.Children[i];
            var childPath = PathText.Index(path, i);
            var item = Validate(child, type.Items, childPath);
            if (type.UniqueItems && item is VScalar { Value: var value })
            {
                var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
                if (firstIndex.TryGetValue(text, out var first))
                {
                    errors.At(child, childPath, $"duplicate item '{text}' (also at {PathText.Index(path, first)}); each item may appear once");
                    item = null;
                }
                else
                {
                    firstIndex[text] = i;
                }
            }
            items.Add(item);
        }
        if (sequence.Children.Count < type.MinItems)
            errors.At(node, path, $"expected at least {type.MinItems} item{(type.MinItems == 1 ? "" : "s")}, got {sequence.Children.Count}");
        return new VArray(node, path, items);
    }

    private VScalar? ValidateScalar(YamlNode node, SchemaType type, string path)
    {
        if (node is not YamlScalarNode scalar)
        {
            errors.At(node, path, $"expected {type.Expected}, got {YamlText.Describe(node)}");
            return null;
        }
        var kind = YamlText.Classify(scalar);
        var text = scalar.Value ?? "";
        object? value = null;
        string? problem = null;
        switch (type)
        {
            case StringType s:
                if (kind != ScalarKind.String)
                    problem = kind == ScalarKind.Null
                        ? $"expected a string, got {YamlText.Describe(node)}"
                        : $"expected a string, got {YamlText.Describe(node)} which YAML reads as a {(kind == ScalarKind.Bool ? "boolean" : "number")}; put it in quotes";
                else if (text.Length < s.MinLength)
                    problem = "must not be empty";
                else
                    value = text;
                break;

            case MonthType:
                if (kind != ScalarKind.Null && SimMonth.TryParse(text, out var month))
                    value = month;
                else
                    problem = $"expected a month (YYYY-MM or YYYY-MM-DD), got {YamlText.Describe(node)}";
                break;

            case NumberType n:
                if (kind is ScalarKind.Integer or ScalarKind.Float)
                {
                    if (!YamlText.TryParseFiniteDouble(text, out var number))
                        problem = $"expected a finite number, got {text}";
                    else if (OutOfRange(number, n))
                        problem = RangeText.Violation(n.Minimum, n.ExclusiveMinimum, n.Maximum, RangeText.Format, text);
                    else
                        value = number;
                }
                else
                {
                    problem = NotANumber(scalar, kind, "a number");
                }
                break;

            case IntegerType i:
                if (kind == ScalarKind.Integer)
                {
                    if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                        || (i.Minimum is { } lo && integer < lo) || (i.Maximum is { } hi && integer > hi))
                        problem = RangeText.Violation(i.Minimum, false, i.Maximum, RangeText.Format, text);
                    else
                        value = integer;
                }
                else if (kind == ScalarKind.Float)
                {
                    problem = $"expected an integer (a whole number), got {text}";
                }
                else
                {
                    problem = NotANumber(scalar, kind, "an integer");
                }
                break;

            case BooleanType:
                if (kind == ScalarKind.Bool)
                    value = text is "true" or "True" or "TRUE";
                else
                    problem = $"expected true or false, got {YamlText.Describe(node)}";
                break;

            case EnumType e:
                if (kind != ScalarKind.Null && e.Values.Contains(text))
                    value = text;
                else
                    problem = $"expected one of: {string.Join(", ", e.Values)}; got {YamlText.Describe(node)}"
                        + (kind == ScalarKind.Null ? "" : NameSuggestions.DidYouMean(text, e.Values));
                break;

            default:
                throw new InvalidOperationException($"no validation for {type.GetType().Name}");
        }
        if (problem is not null)
        {
            errors.At(node, path, problem);
            return null;
        }
        return new VScalar(node, path, value!);
    }

    private static bool OutOfRange(double value, NumberType type) =>
        (type.Minimum is { } lo && (type.ExclusiveMinimum ? value <= lo : value < lo))
        || (type.Maximum is { } hi && value > hi);

    private static string NotANumber(YamlScalarNode scalar, ScalarKind kind, string expected)
    {
        var text = scalar.Value ?? "";
        if (kind == ScalarKind.String && scalar.Style != YamlDotNet.Core.ScalarStyle.Plain && YamlText.TryParseFiniteDouble(text.Trim(), out _))
            return $"expected {expected}, got the quoted string '{text}'; write numbers without quotes";
        return $"expected {expected}, got {YamlText.Describe(scalar)}";
    }
}
