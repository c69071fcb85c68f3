namespace CareSim.Model.Parameters;

/// <summary>
/// A complete set of parameter values, indexed by <see cref="ParameterDefinition"/>.
/// Immutable: overrides produce a new set.
/// </summary>
public sealed class ModelParameters
{
    private static readonly Dictionary<string, ParameterDefinition> _byName =
        P.All.ToDictionary(p => p.Name, StringComparer.Ordinal);

    private readonly double[] _values;

    private ModelParameters(double[] values) => _values = values;

    /// <summary>Every parameter at its documented default.</summary>
    public static ModelParameters Defaults { get; } = new(P.All.Select(p => p.Default).ToArray());

    public double this[ParameterDefinition definition] => _values[definition.Index];

    /// <summary>The values in index order (for serialisation and manifests).</summary>
    public IReadOnlyList<double> Values => _values;

    public static ModelParameters FromValues(IReadOnlyList<double> values)
    {
        if (values.Count != P.All.Count)
            throw new ArgumentException($"expected {P.All.Count} parameter values, got {values.Count}", nameof(values));
        return new ModelParameters(values.ToArray());
    }

    public static bool TryFind(string name, out ParameterDefinition definition) =>
        _byName.TryGetValue(name, out definition!);

    public static IEnumerable<string> Names => _byName.Keys;

    /// <summary>A copy with the given parameters replaced. Names and ranges must have been validated.</summary>
    public ModelParameters With(IEnumerable<KeyValuePair<string, double>> overrides)
    {
        var values = _values.ToArray();
        foreach (var (name, value) in overrides)
        {
            if (!_byName.TryGetValue(name, out var definition))
                throw new ArgumentException($"unknown parameter '{name}'", nameof(overrides));
            if (value < definition.Min || value > definition.Max || double.IsNaN(value))
                throw new ArgumentOutOfRangeException(nameof(overrides), $"parameter '{name}' = {value} is outside [{definition.Min}, {definition.Max}]");
            values[definition.Index] = value;
        }
        return new ModelParameters(values);
    }

    public ModelParameters With(ParameterDefinition definition, double value) =>
        With([new KeyValuePair<string, double>(definition.Name, value)]);

    /// <summary>The parameters that differ from their defaults, by name.</summary>
    public IReadOnlyDictionary<string, double> Overrides() =>
        P.All.Where(p => _values[p.Index] != p.Default).ToDictionary(p => p.Name, p => _values[p.Index]);
}
