using CareSim.Scenarios.Format;

namespace CareSim.Scenarios;

/// <summary>
/// The scenario format as documents generated from the same description the loader validates
/// with: the JSON Schema (scenarios/schema.json, for editors) and the field tables of docs/scenarios.md.
/// </summary>
public static class ScenarioSchema
{
    /// <summary>The JSON Schema (draft-07) of scenario files, "\n" line endings, ending with a newline.</summary>
    public static string ToJson() => JsonSchemaWriter.Write(ScenarioFormat.Root, "CareSim scenario");

    /// <summary>Markdown tables of every field (the generated part of docs/scenarios.md).</summary>
    public static string ToMarkdown() => MarkdownWriter.Write();
}
