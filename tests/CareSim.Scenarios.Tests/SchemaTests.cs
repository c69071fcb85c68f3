using System.Text.Json;
using CareSim.Model.Parameters;

namespace CareSim.Scenarios.Tests;

/// <summary>
/// The generated documents (scenarios/schema.json and the field tables in docs/scenarios.md) must
/// match the format description. To regenerate them after changing the format, run
/// <c>UPDATE_SCHEMA=1 dotnet test tests/CareSim.Scenarios.Tests</c>.
/// </summary>
public class SchemaTests
{
    private const string SchemaFile = "scenarios/schema.json";
    private const string DocsFile = "docs/scenarios.md";
    private const string TablesBegin = "<!-- BEGIN GENERATED FIELD TABLES: ScenarioSchema.ToMarkdown(); regenerate with UPDATE_SCHEMA=1 dotnet test tests/CareSim.Scenarios.Tests -->\n";
    private const string TablesEnd = "<!-- END GENERATED FIELD TABLES -->";
    private const string ExampleBegin = "<!-- BEGIN EXAMPLE -->\n```yaml\n";
    private const string ExampleEnd = "```\n<!-- END EXAMPLE -->";

    private static bool Update => Environment.GetEnvironmentVariable("UPDATE_SCHEMA") == "1";

    private static JsonElement Schema { get; } = JsonDocument.Parse(ScenarioSchema.ToJson()).RootElement;

    private static string Read(string relative) => File.ReadAllText(Repository.PathOf(relative)).ReplaceLineEndings("\n");

    [Fact]
    public void Schema_file_is_in_sync_with_the_format()
    {
        var expected = ScenarioSchema.ToJson();
        if (Update) File.WriteAllText(Repository.PathOf(SchemaFile), expected);
        Assert.True(expected == Read(SchemaFile),
            $"{SchemaFile} differs from ScenarioSchema.ToJson(); regenerate it with UPDATE_SCHEMA=1 dotnet test tests/CareSim.Scenarios.Tests");
    }

    [Fact]
    public void Docs_field_tables_are_in_sync_with_the_format()
    {
        var docs = Read(DocsFile);
        var begin = docs.IndexOf(TablesBegin, StringComparison.Ordinal);
        var end = docs.IndexOf(TablesEnd, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"{DocsFile} lacks the generated-tables markers");
        var expected = ScenarioSchema.ToMarkdown();
        var current = docs[(begin + TablesBegin.Length)..end];
        if (Update && current != expected)
        {
            File.WriteAllText(Repository.PathOf(DocsFile), docs[..(begin + TablesBegin.Length)] + expected + docs[end..]);
            current = expected;
        }
        Assert.True(expected == current,
            $"the field tables in {DocsFile} differ from ScenarioSchema.ToMarkdown(); regenerate them with UPDATE_SCHEMA=1 dotnet test tests/CareSim.Scenarios.Tests");
    }

    [Fact]
    public void Docs_example_is_a_valid_scenario()
    {
        var docs = Read(DocsFile);
        var begin = docs.IndexOf(ExampleBegin, StringComparison.Ordinal);
        var end = docs.IndexOf(ExampleEnd, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"{DocsFile} lacks the example markers");

        var result = ScenarioLoader.LoadText(docs[(begin + ExampleBegin.Length)..end], DocsFile);

        Assert.True(result.IsValid, result.FormatErrors());
        Assert.True(result.Plan!.Authorities.Count >= 2);
        Assert.Contains(result.Plan.Authorities, a => a.Events.Count > 5);
    }

    [Fact]
    public void Schema_is_draft_07_json_with_closed_objects()
    {
        Assert.Equal("http://json-schema.org/draft-07/schema#", Schema.GetProperty("$schema").GetString());
        Assert.Equal("object", Schema.GetProperty("type").GetString());
        Assert.False(Schema.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(["name", "start", "horizon_months", "authorities"], Schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));

        var authority = Schema.GetProperty("properties").GetProperty("authorities").GetProperty("items");
        Assert.False(authority.GetProperty("additionalProperties").GetBoolean());
        var population = authority.GetProperty("properties").GetProperty("initial").GetProperty("properties").GetProperty("population");
        Assert.Equal("number", population.GetProperty("type").GetString());
        Assert.Equal(0, population.GetProperty("exclusiveMinimum").GetDouble());
        var horizon = Schema.GetProperty("properties").GetProperty("horizon_months");
        Assert.Equal((1, 600), (horizon.GetProperty("minimum").GetInt32(), horizon.GetProperty("maximum").GetInt32()));
    }

    [Fact]
    public void Schema_has_every_parameter_with_its_range_and_description()
    {
        var parameters = Schema.GetProperty("definitions").GetProperty("parameters");
        Assert.False(parameters.GetProperty("additionalProperties").GetBoolean());
        var properties = parameters.GetProperty("properties");

        Assert.Equal(P.All.Count, properties.EnumerateObject().Count());
        foreach (var p in P.All)
        {
            Assert.True(properties.TryGetProperty(p.Name, out var property), p.Name);
            Assert.Equal("number", property.GetProperty("type").GetString());
            Assert.Equal(p.Min, property.GetProperty("minimum").GetDouble());
            Assert.Equal(p.Max, property.GetProperty("maximum").GetDouble());
            Assert.Equal(p.Default, property.GetProperty("default").GetDouble());
            Assert.StartsWith(p.Description, property.GetProperty("description").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal("#/definitions/parameters",
            Schema.GetProperty("properties").GetProperty("parameters").GetProperty("allOf")[0].GetProperty("$ref").GetString());
    }

    [Fact]
    public void Timeline_events_are_a_one_of_discriminated_on_event()
    {
        var events = Schema.GetProperty("definitions").GetProperty("timeline_event");
        var branches = events.GetProperty("oneOf").EnumerateArray().ToList();
        string[] types = ["inspection", "monitoring_visit", "leader_change", "leader_made_permanent", "improvement_notice", "direction",
            "commissioner_review", "direction_lifted", "removal", "partnership", "investment", "budget", "programme", "observed"];

        Assert.Equal(types, branches.Select(b => b.GetProperty("properties").GetProperty("event").GetProperty("const").GetString()));
        Assert.Equal(types, events.GetProperty("properties").GetProperty("event").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.All(branches, b =>
        {
            Assert.False(b.GetProperty("additionalProperties").GetBoolean());
            Assert.Equal(["date", "event"], b.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Take(2));
            Assert.True(b.GetProperty("properties").TryGetProperty("source", out _));
        });
        var inspection = branches[0].GetProperty("properties");
        Assert.Equal(["inadequate", "requires_improvement", "good", "outstanding"],
            inspection.GetProperty("grade").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("#/definitions/timeline_event",
            Schema.GetProperty("properties").GetProperty("authorities").GetProperty("items").GetProperty("properties")
                .GetProperty("timeline").GetProperty("items").GetProperty("$ref").GetString());
    }

    [Fact]
    public void Markdown_tables_list_every_field()
    {
        var markdown = ScenarioSchema.ToMarkdown();
        foreach (var field in new[] { "`name`", "`horizon_months`", "`authorities[].initial.population`", "`authorities[].timeline`",
                     "`commissioners[].oversees`", "`outputs.metrics`", "`event: investment`", "`budget_gbp_m_per_year`", "`annual_gbp_m`" })
            Assert.Contains(field, markdown, StringComparison.Ordinal);
    }
}
