using CareSim.Cli.Commands;
using CareSim.Model.Parameters;
using CareSim.Model.Outputs;

namespace CareSim.Cli.Tests;

/// <summary>Generated documentation must match the code it documents.</summary>
public class DocsTests
{
    [Fact]
    public void The_parameter_tables_in_model_md_are_current()
    {
        var document = File.ReadAllText(Repo.Path("docs", "model.md"));
        Assert.True(ParameterTables.TryReplaceInDocument(document, out var updated));
        Assert.True(updated == document, "docs/model.md is out of date: run `sim params --write-doc docs/model.md`");
    }

    [Fact]
    public void Every_parameter_has_a_source_and_every_metric_is_documented()
    {
        Assert.All(P.All, p => Assert.False(string.IsNullOrWhiteSpace(p.Source), p.Name));
        Assert.All(P.All, p => Assert.InRange(p.Default, p.Min, p.Max));
        var results = File.ReadAllText(Repo.Path("docs", "results.md"));
        var model = File.ReadAllText(Repo.Path("docs", "model.md"));
        foreach (var metric in MetricCatalog.All)
        {
            Assert.Contains($"`{metric.Name}`", results, StringComparison.Ordinal);
            Assert.Contains(metric.Name.Replace("_p_inadequate", "_p_*", StringComparison.Ordinal).Split("_p_")[0], model, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_readme_shows_the_two_commands()
    {
        var readme = File.ReadAllText(Repo.Path("README.md"));
        Assert.Contains("run scenarios/sefton-2022-23.yaml", readme, StringComparison.Ordinal);
        Assert.Contains("./test.sh", readme, StringComparison.Ordinal);
        Assert.Contains("./test.sh", File.ReadAllText(Repo.Path(".ci", "run")), StringComparison.Ordinal);
    }
}
