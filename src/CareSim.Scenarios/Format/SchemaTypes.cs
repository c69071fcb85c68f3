using System.Globalization;

namespace CareSim.Scenarios.Format;

/// <summary>
/// A small description language for the scenario format. One tree of these types (built in
/// <see cref="ScenarioFormat"/>) drives the YAML validator, the JSON Schema and the field
/// tables of docs/scenarios.md, so the three cannot drift apart.
/// </summary>
internal abstract class SchemaType
{
    /// <summary>What a value of this type looks like, for "expected ..." messages ("a number").</summary>
    public abstract string Expected { get; }

    /// <summary>Short type name for the documentation tables.</summary>
    public abstract string DocType { get; }
}

/// <summary>A text value. Plain scalars that YAML reads as numbers, booleans or null are rejected (quote them).</summary>
internal sealed class StringType : SchemaType
{
    public int MinLength { get; init; }
    public override string Expected => "a string";
    public override string DocType => "string";
}

/// <summary>A calendar month written "YYYY-MM" or "YYYY-MM-DD" (the day is ignored).</summary>
internal sealed class MonthType : SchemaType
{
    public const string Pattern = "^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$";
    public override string Expected => "a month (YYYY-MM or YYYY-MM-DD)";
    public override string DocType => "month";
}

/// <summary>A finite real number, written as a plain (unquoted) YAML number.</summary>
internal sealed class NumberType : SchemaType
{
    public double? Minimum { get; init; }
    public double? Maximum { get; init; }
    /// <summary>The minimum itself is not allowed (the value must be greater).</summary>
    public bool ExclusiveMinimum { get; init; }
    public override string Expected => "a number";
    public override string DocType => "number " + RangeText.Describe(Minimum, ExclusiveMinimum, Maximum, RangeText.Format);
}

/// <summary>A whole number, written as a plain YAML integer; bounds are decimals so a ulong fits exactly.</summary>
internal sealed class IntegerType : SchemaType
{
    public decimal? Minimum { get; init; }
    public decimal? Maximum { get; init; }
    public override string Expected => "an integer";
    public override string DocType => "integer " + RangeText.Describe(Minimum, false, Maximum, RangeText.Format);
}

internal sealed class BooleanType : SchemaType
{
    public override string Expected => "true or false";
    public override string DocType => "boolean";
}

/// <summary>One of a fixed list of names.</summary>
internal sealed class EnumType(IReadOnlyList<string> values) : SchemaType
{
    public IReadOnlyList<string> Values { get; } = values;
    /// <summary>What the documentation calls a value when the list is too long to print (e.g. "metric name").</summary>
    public string? DocName { get; init; }
    public override string Expected => "one of: " + string.Join(", ", Values);
    public override string DocType => DocName ?? string.Join(" \\| ", Values);
}

internal sealed class ArrayType(SchemaType items) : SchemaType
{
    public SchemaType Items { get; } = items;
    public int MinItems { get; init; }
    /// <summary>Most items (0: no limit).</summary>
    public int MaxItems { get; init; }
    /// <summary>Scalar items must not repeat.</summary>
    public bool UniqueItems { get; init; }
    public override string Expected => "a list";
    public override string DocType => Items switch
    {
        StringType => "list of strings",
        EnumType { DocName: { } name } => $"list of {name}s",
        EnumType e => "list of " + e.DocType,
        _ => "list of " + Items.DocType,
    };
}

/// <summary>A named field of an <see cref="ObjectType"/>.</summary>
internal sealed record Field(string Name, SchemaType Type, string Description)
{
    public bool Required { get; init; }
    /// <summary>The default, as documentation text (null: none, or described in the text).</summary>
    public string? Default { get; init; }
    /// <summary>The default as a JSON value for the schema (string, double, decimal or bool).</summary>
    public object? JsonDefault { get; init; }
}

/// <summary>A mapping with a closed set of fields (unknown keys are errors).</summary>
internal sealed class ObjectType(string title, IReadOnlyList<Field> fields) : SchemaType
{
    private readonly Dictionary<string, Field> _byName = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public string Title { get; } = title;
    public IReadOnlyList<Field> Fields { get; } = fields;
    public string? Description { get; init; }
    /// <summary>Name under JSON Schema "definitions" when the type is shared (null: inlined).</summary>
    public string? DefinitionName { get; init; }
    /// <summary>What a key is called in messages ("field", "parameter").</summary>
    public string KeyNoun { get; init; } = "field";
    /// <summary>Hint appended to an unknown-key message when no close name exists (null: list the fields).</summary>
    public string? UnknownKeyHint { get; init; }
    /// <summary>Whether the documentation tables expand this type's fields.</summary>
    public bool DocumentFields { get; init; } = true;

    public bool TryGetField(string name, out Field field) => _byName.TryGetValue(name, out field!);

    public override string Expected => "a mapping";
    public override string DocType => "mapping";
}

/// <summary>
/// A mapping whose shape depends on the value of one discriminator field (e.g. timeline events
/// on <c>event</c>). Every branch lists all its fields, the discriminator included.
/// </summary>
internal sealed class UnionType(string discriminator, IReadOnlyList<(string Value, ObjectType Branch)> branches) : SchemaType
{
    public string Discriminator { get; } = discriminator;
    public IReadOnlyList<(string Value, ObjectType Branch)> Branches { get; } = branches;
    public string? Description { get; init; }
    public string? DefinitionName { get; init; }
    public string Noun { get; init; } = "type";

    public IEnumerable<string> Values => Branches.Select(b => b.Value);

    public ObjectType? Find(string value) => Branches.FirstOrDefault(b => b.Value == value).Branch;

    public override string Expected => "a mapping";
    public override string DocType => "mapping";
}

/// <summary>Formats number ranges the same way in messages and documentation.</summary>
internal static class RangeText
{
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    public static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Describe<T>(T? min, bool exclusiveMin, T? max, Func<T, string> format) where T : struct =>
        (min, max) switch
        {
            ({ } lo, { } hi) when exclusiveMin => $"> {format(lo)} and <= {format(hi)}",
            ({ } lo, { } hi) => $"{format(lo)} to {format(hi)}",
            ({ } lo, null) => exclusiveMin ? $"> {format(lo)}" : $">= {format(lo)}",
            (null, { } hi) => $"<= {format(hi)}",
            _ => "",
        };

    /// <summary>"must be between 1 and 600, got 0" and its one-sided variants.</summary>
    public static string Violation<T>(T? min, bool exclusiveMin, T? max, Func<T, string> format, string got) where T : struct =>
        (min, max) switch
        {
            ({ } lo, { } hi) when exclusiveMin => $"must be greater than {format(lo)} and at most {format(hi)}, got {got}",
            ({ } lo, { } hi) => $"must be between {format(lo)} and {format(hi)}, got {got}",
            ({ } lo, null) => exclusiveMin ? $"must be greater than {format(lo)}, got {got}" : $"must be at least {format(lo)}, got {got}",
            (null, { } hi) => $"must be at most {format(hi)}, got {got}",
            _ => $"is out of range, got {got}",
        };
}
