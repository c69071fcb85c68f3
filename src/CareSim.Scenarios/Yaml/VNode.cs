using CareSim.Model.Time;
using YamlDotNet.RepresentationModel;

namespace CareSim.Scenarios.Yaml;

/// <summary>
/// A YAML node that passed validation against the format, with its typed value and path.
/// Invalid values are left out (their errors are already reported), so binding only sees
/// well-typed, in-range values.
/// </summary>
internal abstract class VNode(YamlNode node, string path)
{
    public YamlNode Node { get; } = node;
    public string Path { get; } = path;
}

/// <summary>A scalar: string (also enum names), double, decimal (integers), bool or <see cref="SimMonth"/>.</summary>
internal sealed class VScalar(YamlNode node, string path, object value) : VNode(node, path)
{
    public object Value { get; } = value;
}

/// <summary>A list; invalid items are null.</summary>
internal sealed class VArray(YamlNode node, string path, IReadOnlyList<VNode?> items) : VNode(node, path)
{
    public IReadOnlyList<VNode?> Items { get; } = items;
}

/// <summary>A mapping with its valid fields, in file order.</summary>
internal sealed class VObject(YamlNode node, string path) : VNode(node, path)
{
    private readonly Dictionary<string, VNode> _values = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>For a union, the branch chosen (e.g. the event type).</summary>
    public string? Variant { get; init; }

    private readonly HashSet<string> _present = new(StringComparer.Ordinal);

    /// <summary>Records a known key that appeared in the file, valid or not.</summary>
    internal void MarkPresent(string key) => _present.Add(key);

    /// <summary>Whether the key appeared in the file (even with an invalid value).</summary>
    public bool Has(string key) => _present.Contains(key);

    internal void Add(string key, VNode value)
    {
        _values[key] = value;
        _order.Add(key);
    }

    /// <summary>Valid fields in file order.</summary>
    public IEnumerable<(string Key, VNode Value)> Entries => _order.Select(k => (k, _values[k]));

    public VNode? this[string key] => _values.GetValueOrDefault(key);

    /// <summary>The field's node, or this mapping when the field is absent (for error positions).</summary>
    public VNode Locate(string key) => this[key] ?? this;

    public string? String(string key) => (this[key] as VScalar)?.Value as string;
    public double? Number(string key) => (this[key] as VScalar)?.Value is double d ? d : null;
    public decimal? Integer(string key) => (this[key] as VScalar)?.Value is decimal m ? m : null;
    public bool? Bool(string key) => (this[key] as VScalar)?.Value is bool b ? b : null;
    public SimMonth? Month(string key) => (this[key] as VScalar)?.Value is SimMonth m ? m : null;
    public VObject? Object(string key) => this[key] as VObject;
    public VArray? Array(string key) => this[key] as VArray;
}
