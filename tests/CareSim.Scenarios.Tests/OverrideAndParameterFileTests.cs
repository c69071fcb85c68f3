using CareSim.Model.Parameters;

namespace CareSim.Scenarios.Tests;

public sealed class OverrideAndParameterFileTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("caresim-scenarios-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_directory.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Valid_overrides_replace_the_file_values()
    {
        var result = TestScenarios.Load(TestScenarios.Full, new ScenarioOverrides(Replicas: 7, Seed: 99, HorizonMonths: 40));

        Assert.True(result.IsValid, result.FormatErrors());
        Assert.Equal((7, 99UL, 40), (result.Plan!.Replicas, result.Plan.Seed, result.Plan.HorizonMonths));
        Assert.DoesNotContain(result.Plan.Authorities[0].Events, e => e.Month >= 40);
        Assert.Contains(result.Plan.Authorities[0].Events, e => e.Month == 33);
    }

    [Theory]
    [InlineData(0, null, "--replicas", "must be between 1 and 10000000, got 0")]
    [InlineData(10_000_001, null, "--replicas", "must be between 1 and 10000000, got 10000001")]
    [InlineData(null, 0, "--horizon", "must be between 1 and 600, got 0")]
    [InlineData(null, 601, "--horizon", "must be between 1 and 600, got 601")]
    public void Invalid_overrides_are_errors_naming_the_option(int? replicas, int? horizon, string option, string message)
    {
        var result = TestScenarios.Load(TestScenarios.Minimal, new ScenarioOverrides(Replicas: replicas, HorizonMonths: horizon));

        var error = Assert.Single(result.Errors);
        Assert.Equal((ScenarioLoader.CommandLine, 0, 0, option, message), (error.File, error.Line, error.Column, error.Path, error.Message));
        Assert.Equal($"command line: {option}: {message}", error.ToString());
        Assert.Null(result.Plan);
    }

    [Fact]
    public void Override_errors_come_first_and_file_errors_are_still_reported()
    {
        var result = TestScenarios.Load(TestScenarios.Minimal.Replace("name: Test", "name: 1"), new ScenarioOverrides(Replicas: 0));
        Assert.Equal(["--replicas", "name"], result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void A_shorter_horizon_override_clamps_history_until_with_a_warning_but_the_file_itself_is_checked()
    {
        var yaml = TestScenarios.Minimal.Replace("horizon_months: 24", "horizon_months: 24\nhistory_until: 2022-04");
        Assert.True(TestScenarios.Load(yaml).IsValid);
        Assert.Empty(TestScenarios.Load(yaml).Warnings);

        var shortened = TestScenarios.Load(yaml, new ScenarioOverrides(HorizonMonths: 6));
        Assert.True(shortened.IsValid, shortened.FormatErrors());
        Assert.Equal(6, shortened.Plan!.HistoryUntilMonth); // the whole shortened run is history
        Assert.Equal("test.yaml:4:16: history_until: history_until (2022-04) is after the end of the run (--horizon 6 ends it at 2021-09): the whole run is history, as the timelines say",
            Assert.Single(shortened.Warnings).ToString());

        var beyondFile = TestScenarios.Minimal.Replace("horizon_months: 24", "horizon_months: 24\nhistory_until: 2023-06");
        var error = TestScenarios.SingleError(beyondFile, new ScenarioOverrides(HorizonMonths: 6));
        Assert.Equal(("history_until", "must be between 2021-04 (start) and 2021-10 (start + --horizon 6), got 2023-06"), (error.Path, error.Message));
    }

    [Fact]
    public void A_horizon_override_that_leaves_no_outcome_window_is_an_error()
    {
        var yaml = TestScenarios.Minimal.Replace("horizon_months: 24", "horizon_months: 24\nhistory_until: 2022-04\noutcomes_from: 2022-04");
        var error = TestScenarios.SingleError(yaml, new ScenarioOverrides(HorizonMonths: 6));
        Assert.Equal("test.yaml:5:16: outcomes_from: no outcome window: --horizon 6 ends the run at 2021-09, before outcomes_from (2022-04), so months to requires improvement and to good cannot be measured; give --horizon 13 or more",
            error.ToString());

        Assert.Equal("outcomes_from", TestScenarios.SingleError(yaml, new ScenarioOverrides(HorizonMonths: 12)).Path);
        var shortest = TestScenarios.Load(yaml, new ScenarioOverrides(HorizonMonths: 13));
        Assert.True(shortest.IsValid, shortest.FormatErrors());
        Assert.Equal((12, 12, 13), (shortest.Plan!.HistoryUntilMonth, shortest.Plan.OutcomesFromMonth, shortest.Plan.HorizonMonths));
        Assert.Empty(shortest.Warnings);
    }

    [Fact]
    public void Parameter_files_apply_in_order_then_scenario_then_authority_parameters()
    {
        Write("a.yaml", "description: fitted\nparameters:\n  quality.culture_growth: 0.1\n  quality.culture_decay: 0.1\n  quality.authority_sd: 0.1\n");
        Write("sub/b.yaml", "parameters:\n  quality.culture_decay: 0.2\n  ofsted.publication_lag_months: 4\n");
        var scenario = Write("scenario.yaml", TestScenarios.Minimal
            .Replace("horizon_months: 24", "horizon_months: 24\nparameter_files: [a.yaml, sub/b.yaml]\nparameters:\n  ofsted.publication_lag_months: 5\n  quality.authority_sd: 0.05")
            .Replace("    initial:", "    parameters:\n      quality.authority_sd: 0.01\n    initial:"));

        var result = ScenarioLoader.Load(scenario);

        Assert.True(result.IsValid, result.FormatErrors());
        var scenarioParameters = result.Plan!.Parameters;
        Assert.Equal(0.1, scenarioParameters[P.CultureGrowth]);
        Assert.Equal(0.2, scenarioParameters[P.CultureDecay]);
        Assert.Equal(5, scenarioParameters[P.PublicationLagMonths]);
        Assert.Equal(0.05, scenarioParameters[P.QualityAuthoritySd]);
        var authority = result.Plan.Authorities[0].Parameters;
        Assert.Equal(0.01, authority[P.QualityAuthoritySd]);
        Assert.Equal(0.2, authority[P.CultureDecay]);
        Assert.Equal(
            [Path.Combine(_directory.FullName, "a.yaml"), Path.Combine(_directory.FullName, "sub/b.yaml")],
            result.ParameterFiles.Select(f => f.Path));
        Assert.All(result.ParameterFiles, f => Assert.Matches("^[0-9a-f]{64}$", f.Sha256));
    }

    [Fact]
    public void LoadText_resolves_parameter_files_against_the_base_directory()
    {
        Write("p.yaml", "parameters:\n  quality.culture_growth: 0.3\n");
        var yaml = TestScenarios.Minimal + "\nparameter_files: [p.yaml]";

        var result = ScenarioLoader.LoadText(yaml, "inline", _directory.FullName);

        Assert.True(result.IsValid, result.FormatErrors());
        Assert.Equal(0.3, result.Plan!.Parameters[P.CultureGrowth]);
    }

    [Fact]
    public void Missing_parameter_file_is_an_error_at_its_entry()
    {
        var scenario = Write("scenario.yaml", TestScenarios.Minimal + "\nparameter_files:\n  - nothere.yaml");

        var result = ScenarioLoader.Load(scenario);

        var error = Assert.Single(result.Errors);
        Assert.Equal((scenario, 20, 5, "parameter_files[0]"), (error.File, error.Line, error.Column, error.Path));
        Assert.StartsWith("cannot read parameter file 'nothere.yaml' (looked for ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("): file not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_in_a_parameter_file_are_reported_in_that_file()
    {
        var parameters = Write("p.yaml", "parameters:\n  quality.culture_growth: 2\n  quality.cultur_growth: 0.1\nextra: 1\n");
        var scenario = Write("scenario.yaml", TestScenarios.Minimal.Replace("name: Test", "name: 5") + "\nparameter_files: [p.yaml]");

        var result = ScenarioLoader.Load(scenario);

        Assert.Equal(
            [
                $"{scenario}:1:7: name: expected a string, got '5' which YAML reads as a number; put it in quotes",
                $"{parameters}:2:27: parameters[\"quality.culture_growth\"]: must be between 0 and 1, got 2",
                $"{parameters}:3:3: parameters[\"quality.cultur_growth\"]: unknown parameter 'quality.cultur_growth'; did you mean 'quality.culture_growth'?",
                $"{parameters}:4:1: extra: unknown field 'extra'; valid fields are: description, parameters",
            ],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parameter_file_needs_a_parameters_mapping()
    {
        var parameters = Write("p.yaml", "quality.culture_growth: 0.1\n");
        var scenario = Write("scenario.yaml", TestScenarios.Minimal + "\nparameter_files: [p.yaml]");

        var result = ScenarioLoader.Load(scenario);

        Assert.Equal(
            [
                $"{parameters}:1:1: [\"quality.culture_growth\"]: unknown field 'quality.culture_growth'; valid fields are: description, parameters",
                $"{parameters}:1:1: missing required field 'parameters'",
            ],
            result.Errors.Select(e => e.ToString()));
    }
}
