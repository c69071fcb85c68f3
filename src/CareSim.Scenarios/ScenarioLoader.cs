using System.Security.Cryptography;
using System.Text;
using CareSim.Scenarios.Binding;
using CareSim.Scenarios.Compilation;
using CareSim.Scenarios.Format;
using CareSim.Scenarios.Yaml;
using YamlDotNet.RepresentationModel;

namespace CareSim.Scenarios;

/// <summary>
/// Loads scenario files (YAML; see docs/scenarios.md): parses them, validates them against the
/// format (<see cref="ScenarioSchema"/>), binds and compiles them to a
/// <see cref="CareSim.Model.Plan.SimulationPlan"/>. Every error is collected; nothing throws for bad input.
/// </summary>
public static class ScenarioLoader
{
    /// <summary>The <see cref="ScenarioError.File"/> of errors in command-line overrides.</summary>
    public const string CommandLine = "command line";

    /// <summary>Loads the scenario at <paramref name="path"/>; <c>parameter_files</c> are relative to its folder.</summary>
    public static ScenarioLoadResult Load(string path, ScenarioOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!TryRead(path, out var bytes, out var problem))
        {
            var errors = new List<ScenarioError>();
            ValidateOverrides(overrides, errors);
            errors.Add(new ScenarioError(path, 0, 0, "", $"cannot read the scenario file: {problem}"));
            return new ScenarioLoadResult(null, errors, "", "", ScenarioOutputs.Default, []);
        }
        return LoadCore(Decode(bytes), Hash(bytes), path, Path.GetDirectoryName(path), overrides);
    }

    /// <summary>
    /// Loads a scenario from text. <paramref name="sourceName"/> names it in errors;
    /// <c>parameter_files</c> are relative to <paramref name="baseDirectory"/> (default: the current directory).
    /// </summary>
    public static ScenarioLoadResult LoadText(string yaml, string sourceName, string? baseDirectory = null, ScenarioOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(sourceName);
        return LoadCore(yaml, Hash(Encoding.UTF8.GetBytes(yaml)), sourceName, baseDirectory, overrides);
    }

    private static ScenarioLoadResult LoadCore(string text, string sha256, string sourceName, string? baseDirectory, ScenarioOverrides? overrides)
    {
        var errors = new List<ScenarioError>();
        ValidateOverrides(overrides, errors);
        var sink = new ErrorSink(sourceName, errors);
        var parameterFiles = new List<ScenarioSourceFile>();

        var root = ParseRoot(text, sink, ScenarioFormat.Root, "scenario");
        if (root is null)
            return Finish(null, errors, text, sha256, ScenarioOutputs.Default, parameterFiles, sourceName);

        var document = ScenarioBinder.Bind(root);
        var fileParameters = new List<ParameterSetting>();
        foreach (var reference in document.ParameterFiles)
            fileParameters.AddRange(LoadParameterFile(reference, baseDirectory, sink, parameterFiles));

        var plan = new PlanCompiler(sink).Compile(document, fileParameters, overrides);
        var codes = document.Authorities.Select(a => a.Code).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var strategies = new StrategyCompiler(sink).Compile(document.Strategies, codes);
        return Finish(plan, errors, text, sha256, document.Outputs, parameterFiles, sourceName, strategies, sink.Warnings);
    }

    /// <summary>
    /// Whether a file is a strategies file rather than a scenario: a mapping with a
    /// <c>strategies:</c> key and no <c>authorities:</c>. Unreadable or malformed files are not.
    /// </summary>
    public static bool IsStrategiesFile(string path)
    {
        if (!TryRead(path, out var bytes, out _)) return false;
        var text = Decode(bytes);
        if (!ScenarioLimits.Check(text, path, new List<ScenarioError>())) return false;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count > 0
                && stream.Documents[0].RootNode is YamlMappingNode map
                && map.Children.ContainsKey(new YamlScalarNode("strategies"))
                && !map.Children.ContainsKey(new YamlScalarNode("authorities"));
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return false;
        }
    }

    /// <summary>Parses and validates a whole file against a top-level object type.</summary>
    private static VObject? ParseRoot(string text, ErrorSink sink, ObjectType type, string what)
    {
        var required = string.Join(", ", type.Fields.Where(f => f.Required).Select(f => f.Name));
        var node = YamlText.Parse(text, sink, $"the file is empty; expected a {what}: a mapping with at least the fields {required}");
        if (node is null) return null;
        if (node is not YamlMappingNode)
        {
            sink.At(1, 1, "", $"expected a {what}: a mapping with at least the fields {required}; got {YamlText.Describe(node)}");
            return null;
        }
        return new SchemaValidator(sink).Validate(node, type, "") as VObject;
    }

    private static IReadOnlyList<ParameterSetting> LoadParameterFile(ParameterFileReference reference, string? baseDirectory,
        ErrorSink sink, List<ScenarioSourceFile> files)
    {
        var path = Path.Combine(baseDirectory ?? "", reference.Path);
        if (!TryRead(path, out var bytes, out var problem))
        {
            sink.At(reference.Node, $"cannot read parameter file '{reference.Path}' (looked for {Path.GetFullPath(path)}): {problem}");
            return [];
        }
        files.Add(new ScenarioSourceFile(path, Hash(bytes)));
        var fileSink = sink.For(path);
        var root = ParseRoot(Decode(bytes), fileSink, ScenarioFormat.ParameterFile, "parameter file");
        return root is null ? [] : ScenarioBinder.BindParameters(root.Object("parameters"));
    }

    /// <summary>Checks command-line overrides against the same ranges as the file's fields.</summary>
    private static void ValidateOverrides(ScenarioOverrides? overrides, List<ScenarioError> errors)
    {
        if (overrides is null) return;
        Check("--replicas", "replicas", overrides.Replicas);
        Check("--horizon", "horizon_months", overrides.HorizonMonths);
        Check("--seed", "seed", (decimal?)overrides.Seed);

        void Check(string option, string field, decimal? value)
        {
            if (value is not { } v || !ScenarioFormat.Root.TryGetField(field, out var definition) || definition.Type is not IntegerType type) return;
            if ((type.Minimum is { } lo && v < lo) || (type.Maximum is { } hi && v > hi))
                errors.Add(new ScenarioError(CommandLine, 0, 0, option,
                    RangeText.Violation(type.Minimum, false, type.Maximum, RangeText.Format, RangeText.Format(v))));
        }
    }

    private static ScenarioLoadResult Finish(Model.Plan.SimulationPlan? plan, List<ScenarioError> errors, string text, string sha256,
        ScenarioOutputs outputs, List<ScenarioSourceFile> parameterFiles, string sourceName, IReadOnlyList<Model.Plan.Strategy>? strategies = null,
        IReadOnlyList<ScenarioError>? warnings = null)
    {
        // Command line first, then the scenario, then parameter files in the order read; by position within each.
        var rank = new Dictionary<string, int>(StringComparer.Ordinal) { [CommandLine] = 0, [sourceName] = 1 };
        foreach (var file in parameterFiles) rank.TryAdd(file.Path, rank.Count);
        var ordered = errors
            .Select((e, i) => (e, i))
            .OrderBy(t => rank.GetValueOrDefault(t.e.File, int.MaxValue))
            .ThenBy(t => t.e.Line).ThenBy(t => t.e.Column).ThenBy(t => t.i)
            .Select(t => t.e)
            .ToList();
        var orderedWarnings = (warnings ?? []).OrderBy(w => w.Line).ThenBy(w => w.Column).ToList();
        return new ScenarioLoadResult(plan, ordered, text, sha256, outputs, parameterFiles, strategies, orderedWarnings);
    }

    /// <summary>
    /// Loads a strategies file (a top-level <c>strategies:</c> list) for a scenario already loaded:
    /// authority codes are checked against <paramref name="plan"/> (not checked when it is null:
    /// the file on its own), names against <paramref name="existing"/> (e.g. the scenario's own strategies).
    /// </summary>
    public static StrategyLoadResult LoadStrategies(string path, Model.Plan.SimulationPlan? plan, IEnumerable<string>? existing = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var errors = new List<ScenarioError>();
        if (!TryRead(path, out var bytes, out var problem))
        {
            errors.Add(new ScenarioError(path, 0, 0, "", $"cannot read the strategies file: {problem}"));
            return new StrategyLoadResult([], errors);
        }
        var sink = new ErrorSink(path, errors);
        var root = ParseRoot(Decode(bytes), sink, ScenarioFormat.StrategiesFile, "strategies file");
        if (root is null) return new StrategyLoadResult([], errors);
        var taken = new HashSet<string>(existing ?? [], StringComparer.Ordinal);
        var strategies = new StrategyCompiler(sink).Compile(ScenarioBinder.BindStrategies(root.Array("strategies")),
            plan?.Authorities.Select(a => a.Code).ToList(), taken);
        var ordered = errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList();
        return new StrategyLoadResult(ordered.Count == 0 ? strategies : [], ordered);
    }

    private static bool TryRead(string path, out byte[] bytes, out string problem)
    {
        try
        {
            if (new FileInfo(path) is { Exists: true, Length: > ScenarioLimits.MaxDocumentBytes } big)
            {
                bytes = [];
                problem = ScenarioLimits.TooLarge(big.Length);
                return false;
            }
            bytes = File.ReadAllBytes(path);
            problem = "";
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            bytes = [];
            problem = ex is FileNotFoundException or DirectoryNotFoundException ? "file not found" : ex.Message;
            return false;
        }
    }

    private static string Decode(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
