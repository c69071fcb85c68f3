using CareSim.Scenarios.Yaml;
using YamlDotNet.RepresentationModel;

namespace CareSim.Scenarios;

/// <summary>Collects errors (and warnings) for one file.</summary>
internal sealed class ErrorSink(string file, List<ScenarioError> errors, List<ScenarioError>? warnings = null)
{
    public string File { get; } = file;

    public List<ScenarioError> All { get; } = errors;

    /// <summary>Problems that leave the result meaningful (docs/scenarios.md#errors-and-warnings).</summary>
    public List<ScenarioError> Warnings { get; } = warnings ?? [];

    public void Warn(VNode node, string message) =>
        Warnings.Add(new ScenarioError(File, (int)node.Node.Start.Line, (int)node.Node.Start.Column, node.Path, message));

    public void At(YamlNode node, string path, string message) =>
        All.Add(new ScenarioError(File, (int)node.Start.Line, (int)node.Start.Column, path, message));

    public void At(VNode node, string message) => At(node.Node, node.Path, message);

    public void At(int line, int column, string path, string message) =>
        All.Add(new ScenarioError(File, line, column, path, message));

    /// <summary>A sink for another file that adds to the same list.</summary>
    public ErrorSink For(string otherFile) => new(otherFile, All, Warnings);
}
