namespace CareSim.Scenarios.Tests;

/// <summary>Errors of the format itself: types, ranges, required and unknown fields, YAML problems.</summary>
public class ValidationErrorTests
{
    private static void AssertError(ScenarioError error, int line, int column, string path, string message)
    {
        Assert.Equal("test.yaml", error.File);
        Assert.Equal((line, column, path, message), (error.Line, error.Column, error.Path, error.Message));
    }

    [Fact]
    public void Unknown_field_suggests_the_closest_name_and_the_missing_required_field_is_reported_at_the_parent()
    {
        var result = TestScenarios.Load(TestScenarios.Minimal.Replace("horizon_months: 24", "horizon_month: 24"));

        Assert.Equal(2, result.Errors.Count);
        AssertError(result.Errors[0], 1, 1, "", "missing required field 'horizon_months'");
        AssertError(result.Errors[1], 3, 1, "horizon_month", "unknown field 'horizon_month'; did you mean 'horizon_months'?");
    }

    [Fact]
    public void Unknown_field_without_a_close_name_lists_the_valid_fields()
    {
        var error = TestScenarios.SingleError(TestScenarios.Minimal.Replace("    region: North West", "    region: North West\n    colour: red"));

        AssertError(error, 8, 5, "authorities[0].colour",
            "unknown field 'colour'; valid fields are: code, name, region, labour_market, parameters, initial, timeline");
    }

    [Theory]
    [InlineData("quality.culture_growt", "unknown parameter 'quality.culture_growt'; did you mean 'quality.culture_growth'?")]
    [InlineData("Quality.Culture_Growth", "unknown parameter 'Quality.Culture_Growth'; did you mean 'quality.culture_growth'?")]
    [InlineData("culture_growth", "unknown parameter 'culture_growth'; did you mean 'quality.culture_growth'?")]
    [InlineData("nothing.like_this", "unknown parameter 'nothing.like_this'; run 'sim params' to list the parameters")]
    public void Unknown_parameter_names_get_suggestions(string name, string message)
    {
        var error = TestScenarios.SingleError(TestScenarios.Minimal + $"\nparameters:\n  {name}: 0.1");
        var path = name.Contains('.', StringComparison.Ordinal) ? $"parameters[\"{name}\"]" : $"parameters.{name}";
        AssertError(error, 20, 3, path, message);
    }

    [Fact]
    public void Authority_parameters_are_checked_too()
    {
        var error = TestScenarios.SingleError(TestScenarios.Minimal.Replace("    initial:", "    parameters:\n      quality.culture_growth: 1.5\n    initial:"));
        AssertError(error, 9, 31, "authorities[0].parameters[\"quality.culture_growth\"]", "must be between 0 and 1, got 1.5");
    }

    [Theory]
    [InlineData("horizon_months: 24", "horizon_months: abc", 3, 17, "horizon_months", "expected an integer, got 'abc'")]
    [InlineData("horizon_months: 24", "horizon_months: 2.5", 3, 17, "horizon_months", "expected an integer (a whole number), got 2.5")]
    [InlineData("horizon_months: 24", "horizon_months: \"24\"", 3, 17, "horizon_months", "expected an integer, got the quoted string '24'; write numbers without quotes")]
    [InlineData("population: 50000", "population: \"50000\"", 9, 19, "authorities[0].initial.population", "expected a number, got the quoted string '50000'; write numbers without quotes")]
    [InlineData("population: 50000", "population: lots", 9, 19, "authorities[0].initial.population", "expected a number, got 'lots'")]
    [InlineData("population: 50000", "population: [1]", 9, 19, "authorities[0].initial.population", "expected a number, got a list")]
    [InlineData("population: 50000", "population: {a: 1}", 9, 19, "authorities[0].initial.population", "expected a number, got a mapping")]
    [InlineData("population: 50000", "population:", 9, 18, "authorities[0].initial.population", "expected a number, got nothing (null)")]
    [InlineData("population: 50000", "population: .inf", 9, 19, "authorities[0].initial.population", "expected a finite number, got .inf")]
    [InlineData("name: Test", "name: 2022", 1, 7, "name", "expected a string, got '2022' which YAML reads as a number; put it in quotes")]
    [InlineData("name: Test", "name: true", 1, 7, "name", "expected a string, got 'true' which YAML reads as a boolean; put it in quotes")]
    [InlineData("name: Test", "name: ''", 1, 7, "name", "must not be empty")]
    [InlineData("name: Test", "name: {first: a}", 1, 7, "name", "expected a string, got a mapping")]
    [InlineData("start: 2021-04", "start: 2021-13", 2, 8, "start", "expected a month (YYYY-MM or YYYY-MM-DD), got '2021-13'")]
    [InlineData("start: 2021-04", "start: 2021-02-30", 2, 8, "start", "expected a month (YYYY-MM or YYYY-MM-DD), got '2021-02-30'")]
    [InlineData("authorities:\n  - code", "authorities: {}\nx:\n  - code", 4, 14, "authorities", "expected a list, got a mapping")]
    public void Wrong_types_are_reported_with_what_was_expected(string from, string to, int line, int column, string path, string message)
    {
        var yaml = TestScenarios.Minimal.Replace(from, to);
        var result = TestScenarios.Load(yaml);
        Assert.Null(result.Plan);
        var error = Assert.Single(result.Errors, e => e.Path == path);
        AssertError(error, line, column, path, message);
    }

    [Theory]
    [InlineData("horizon_months: 24", "horizon_months: 0", 3, 17, "horizon_months", "must be between 1 and 600, got 0")]
    [InlineData("horizon_months: 24", "horizon_months: 601", 3, 17, "horizon_months", "must be between 1 and 600, got 601")]
    [InlineData("horizon_months: 24", "horizon_months: 24\nreplicas: 0", 4, 11, "replicas", "must be between 1 and 10000000, got 0")]
    [InlineData("horizon_months: 24", "horizon_months: 24\nseed: -1", 4, 7, "seed", "must be between 0 and 18446744073709551615, got -1")]
    [InlineData("horizon_months: 24", "horizon_months: 24\nseed: 18446744073709551616", 4, 7, "seed", "must be between 0 and 18446744073709551615, got 18446744073709551616")]
    [InlineData("population: 50000", "population: 0", 9, 19, "authorities[0].initial.population", "must be greater than 0, got 0")]
    [InlineData("caseload: 18", "caseload: 150", 17, 17, "authorities[0].initial.caseload", "must be greater than 0 and at most 100, got 150")]
    [InlineData("agency_fte: 30", "agency_fte: -1", 15, 19, "authorities[0].initial.agency_fte", "must be at least 0, got -1")]
    [InlineData("quality: 0.5", "quality: 1.2", 18, 16, "authorities[0].initial.quality", "must be between 0 and 1, got 1.2")]
    public void Out_of_range_values_give_the_range(string from, string to, int line, int column, string path, string message)
    {
        var error = TestScenarios.SingleError(TestScenarios.Minimal.Replace(from, to));
        AssertError(error, line, column, path, message);
    }

    [Fact]
    public void Seed_accepts_the_whole_ulong_range()
    {
        var result = TestScenarios.Load(TestScenarios.Minimal.Replace("horizon_months: 24", "horizon_months: 24\nseed: 18446744073709551615"));
        Assert.True(result.IsValid, result.FormatErrors());
        Assert.Equal(ulong.MaxValue, result.Plan!.Seed);
    }

    [Fact]
    public void Missing_required_fields_are_reported_at_the_parent()
    {
        var top = TestScenarios.SingleError(TestScenarios.Minimal.Replace("start: 2021-04\n", ""));
        AssertError(top, 1, 1, "", "missing required field 'start'");

        var nested = TestScenarios.SingleError(TestScenarios.Minimal.Replace("      sw_fte: 150\n", ""));
        AssertError(nested, 9, 7, "authorities[0].initial", "missing required field 'sw_fte'");
    }

    [Fact]
    public void At_least_one_authority_is_required()
    {
        var error = TestScenarios.SingleError("name: x\nstart: 2021-04\nhorizon_months: 1\nauthorities: []\n");
        AssertError(error, 4, 14, "authorities", "expected at least 1 item, got 0");
    }

    [Fact]
    public void Duplicate_keys_are_all_reported_with_their_paths()
    {
        var yaml = TestScenarios.Minimal.Replace("      cla_per_10k: 100", "      cla_per_10k: 100\n      population: 1") + "\nseed: 1\nseed: 2";
        var result = TestScenarios.Load(yaml);

        Assert.Equal(2, result.Errors.Count);
        AssertError(result.Errors[0], 14, 7, "authorities[0].initial.population",
            "duplicate key 'population' (first given at line 9, column 7); each key may appear once");
        AssertError(result.Errors[1], 21, 1, "seed", "duplicate key 'seed' (first given at line 20, column 1); each key may appear once");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    [InlineData("# yaml-language-server: $schema=schema.json\n# nothing else\n")]
    public void Empty_file_is_an_error_at_the_start(string yaml)
    {
        var error = TestScenarios.SingleError(yaml);
        AssertError(error, 1, 1, "", "the file is empty; expected a scenario: a mapping with at least the fields name, start, horizon_months, authorities");
    }

    [Theory]
    [InlineData("- a\n- b\n", "a list")]
    [InlineData("just some text\n", "'just some text'")]
    [InlineData("# comment\n42\n", "'42'")]
    public void Top_level_that_is_not_a_mapping_is_an_error_at_the_start(string yaml, string got)
    {
        var error = TestScenarios.SingleError(yaml);
        AssertError(error, 1, 1, "", $"expected a scenario: a mapping with at least the fields name, start, horizon_months, authorities; got {got}");
    }

    [Theory]
    [InlineData("name: x\n  start: 2021-04\n", 2, 8)]
    [InlineData("name: \"unterminated\nstart: 2021-04\n", 1, 7)]
    [InlineData("a:\n\tb: 1\n", 1, 1)]
    [InlineData("name: [a, b\nstart: 2021-04\n", 1, 9)]
    public void Malformed_yaml_is_a_single_error_with_the_parser_position(string yaml, int line, int column)
    {
        var error = TestScenarios.SingleError(yaml);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.StartsWith("malformed YAML: ", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length > "malformed YAML: ".Length + 10);
    }

    [Fact]
    public void Several_documents_are_an_error()
    {
        var error = TestScenarios.SingleError(TestScenarios.Minimal + "\n---\nname: other\n");
        AssertError(error, 20, 1, "", "expected a single YAML document, found 2; remove the '---' separators");
    }

    [Fact]
    public void All_errors_are_collected_in_file_order()
    {
        var yaml = TestScenarios.Minimal
            .Replace("name: Test", "nme: Test")
            .Replace("population: 50000", "population: -5")
            .Replace("      caseload: 18", "      caseload: x")
            + "\noutputs:\n  per_replica: maybe\n  metrics: [sw_fte, sw_fte, caseloads]";
        var result = TestScenarios.Load(yaml);

        Assert.Equal(
            [
                "test.yaml:1:1: nme: unknown field 'nme'; did you mean 'name'?",
                "test.yaml:1:1: missing required field 'name'",
                "test.yaml:9:19: authorities[0].initial.population: must be greater than 0, got -5",
                "test.yaml:17:17: authorities[0].initial.caseload: expected a number, got 'x'",
                "test.yaml:20:16: outputs.per_replica: expected true or false, got 'maybe'",
                "test.yaml:21:21: outputs.metrics[1]: duplicate item 'sw_fte' (also at outputs.metrics[0]); each item may appear once",
                "test.yaml:21:29: outputs.metrics[2]: expected one of: " + string.Join(", ", CareSim.Model.Outputs.MetricCatalog.All.Select(m => m.Name)) + "; got 'caseloads'; did you mean 'caseload'?",
            ],
            result.Errors.Select(e => e.ToString()));
        Assert.Null(result.Plan);
    }

    [Fact]
    public void Error_text_is_file_line_column_path_message()
    {
        Assert.Equal("s.yaml:3:17: horizon_months: must be between 1 and 600, got 0",
            new ScenarioError("s.yaml", 3, 17, "horizon_months", "must be between 1 and 600, got 0").ToString());
        Assert.Equal("s.yaml:1:1: the file is empty", new ScenarioError("s.yaml", 1, 1, "", "the file is empty").ToString());
        Assert.Equal("command line: --replicas: must be at least 1", new ScenarioError("command line", 0, 0, "--replicas", "must be at least 1").ToString());
    }
}
