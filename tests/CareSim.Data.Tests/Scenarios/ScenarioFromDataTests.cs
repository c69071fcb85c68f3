using CareSim.Data.Baseline;
using CareSim.Data.Scenarios;
using CareSim.TestSupport;
using CareSim.Scenarios;
using YamlDotNet.RepresentationModel;
using static CareSim.TestSupport.BaselineFixture;

namespace CareSim.Data.Tests.Scenarios;

public sealed class ScenarioFromDataTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Sefton (neighbours Wirral, Liverpool, Knowsley) with figures 2020-2022 and gaps; Halton with no
    /// workforce figures and no child protection figures; Leeds in another region.
    /// </summary>
    private string Folder()
    {
        var fixture = new BaselineFixture()
            .Authority("E08000014", "343", "Sefton", "North West", "E08000015;E08000012;E08000011")
            .Authority("E08000015", "344", "Wirral", "North West", "E08000014;E08000012")
            .Authority("E08000012", "341", "Liverpool", "North West", "E08000014;E08000015")
            .Authority("E08000011", "340", "Knowsley", "North West", "E08000014")
            .Authority("E06000006", "876", "Halton", "North West", "E08000015;E08000012;E08000011")
            .Authority("E08000035", "383", "Leeds", "Yorkshire and The Humber")
            // Sefton: 2020 without population; 2021 complete; 2022 without looked-after figures or caseload.
            .Year("E08000014", 2020, Merge(
                new() { [Measures.Referrals] = 2660, [Measures.Cin] = 2270, [Measures.Cpp] = 258 },
                Workforce(143.1, 17.6, 16, 20.4, turnover: 0.143, caseHolders: 106.3, absence: 0.078)))
            .Year("E08000014", 2021, Merge(
                Demand(50000, 2500, 2100, 250, 600, 120, rereferral: 0.17234, cinStarted: 1500, cppStarts: 300, claStarts: 180, claCeased: 130),
                Workforce(155.2, 38.2, 19, 21.3, turnover: 0.101, caseHolders: 104.3, absence: 0.057)))
            .Year("E08000014", 2022, Merge(
                new() { [Measures.Population] = 50000, [Measures.Referrals] = 4000, [Measures.ReferralsPer10k] = 800, [Measures.Cin] = 2600, [Measures.CinPer10k] = 520, [Measures.Cpp] = 330, [Measures.CppPer10k] = 66 },
                new() { [Measures.SwFte] = 152.1, [Measures.AgencyFte] = 80.8, [Measures.VacancyFte] = 115 }))
            .Year("E08000015", 2021, Merge(Demand(60000, 3000, 3000, 300, 800, 133), Workforce(300, 30, 20, 18)))
            .Year("E08000015", 2022, Merge(Demand(60000, 3300, 3100, 310, 810, 135), Workforce(310, 40, 25, 18)))
            .Year("E08000012", 2021, Merge(Demand(100000, 6000, 5000, 600, 1500, 150), Workforce(500, 100, 50, 19)))
            .Year("E08000012", 2022, Merge(Demand(100000, 6500, 5100, 620, 1550, 155), Workforce(520, 110, 55, 19)))
            .Year("E08000011", 2021, Merge(Demand(40000, 2000, 1800, 200, 500, 125), Workforce(100, 20, 10, 17)))
            .Year("E08000011", 2022, Merge(Demand(40000, 2100, 1900, 210, 510, 128), Workforce(105, 22, 11, 17)))
            // Halton: demand without child protection; no workforce at all.
            .Year("E06000006", 2021, new() { [Measures.Population] = 30000, [Measures.Referrals] = 1500, [Measures.ReferralsPer10k] = 500, [Measures.Cin] = 1200, [Measures.CinPer10k] = 400, [Measures.Cla] = 300, [Measures.ClaPer10k] = 100 })
            .Year("E08000035", 2021, Merge(Demand(170000, 9000, 6000, 600, 1300, 76), Workforce(600, 40, 60, 16)))
            .England(2021, Merge(Demand(11787794, 597760, 388490, 50010, 80780, 69), Workforce(32502, 5969.5, 6521.9, 16.3)))
            .Inspection("E08000014", "2016-04-11", "2016-06-27", "SIF", "requires_improvement", "requires_improvement", "requires_improvement")
            .Inspection("E08000014", "2022-02-21", "2022-05-09", "ILACS", "inadequate", "inadequate", "inadequate", "inadequate")
            .Inspection("E08000012", "2019-03-01", "2019-05-01", "ILACS", "good", "good", "good", "good", estimated: true);
        return fixture.Write(_dir);
    }

    private BaselineDataset Data() => BaselineDataset.Load(Folder());

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Map(YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)];

    private static string Scalar(YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)]).Value!;

    private static bool Has(YamlNode node, string key) => ((YamlMappingNode)node).Children.ContainsKey(new YamlScalarNode(key));

    private static YamlSequenceNode Seq(YamlNode node, string key) => (YamlSequenceNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)];

    private static string Line(string yaml, string key) => yaml.Split('\n').Single(l => l.TrimStart().StartsWith(key + ":", StringComparison.Ordinal));

    /// <summary>The project's scenario loader accepts the text (format, ranges, cin >= cpp + cla).</summary>
    private static void AssertLoads(string yaml)
    {
        var result = ScenarioLoader.LoadText(yaml, "from-data.yaml");
        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors) + "\n" + yaml);
    }

    [Fact]
    public void Emits_the_scenario_format_with_values_as_known_at_the_date()
    {
        var yaml = ScenarioFromData.Build(Data(), AuthoritySelection.Authority("Sefton"), D("2021-03-31"));

        var root = Parse(yaml);
        Assert.Equal("Sefton from official data as of 2021-03-31", Scalar(root, "name"));
        Assert.Equal("2021-04", Scalar(root, "start"));
        Assert.Equal("60", Scalar(root, "horizon_months"));
        Assert.Equal("1000", Scalar(root, "replicas"));
        Assert.Equal("1", Scalar(root, "seed"));
        var authority = (YamlMappingNode)Seq(root, "authorities").Single();
        Assert.Equal("E08000014", Scalar(authority, "code"));
        Assert.Equal("Sefton", Scalar(authority, "name"));
        Assert.Equal("North West", Scalar(authority, "region"));
        var initial = Map(authority, "initial");
        // Demand at 31 Mar 2021, workforce at 30 Sep 2020.
        Assert.Equal("50000", Scalar(initial, "population"));
        Assert.Equal("500", Scalar(initial, "referrals_per_10k"));
        Assert.Equal("0.1723", Scalar(initial, "rereferral_share"));
        Assert.Equal("0.6", Scalar(initial, "cin_start_share"));
        Assert.Equal("420", Scalar(initial, "cin_per_10k"));
        Assert.Equal("50", Scalar(initial, "cpp_per_10k"));
        Assert.Equal("120", Scalar(initial, "cla_per_10k"));
        Assert.Equal("60", Scalar(initial, "cpp_starts_per_10k"));
        Assert.Equal("36", Scalar(initial, "cla_starts_per_10k"));
        Assert.Equal("26", Scalar(initial, "cla_ceased_per_10k"));
        Assert.Equal("143.1", Scalar(initial, "sw_fte"));
        Assert.Equal("17.6", Scalar(initial, "agency_fte"));
        Assert.Equal("16", Scalar(initial, "vacancy_fte"));
        Assert.Equal("0.143", Scalar(initial, "turnover_rate"));
        Assert.Equal("20.4", Scalar(initial, "caseload"));
        Assert.Equal("0.6615", Scalar(initial, "case_holder_share")); // 106.3 / (143.1 + 17.6)
        Assert.Equal("0.078", Scalar(initial, "absence_rate"));
        Assert.False(Has(initial, "quality"));
        Assert.Contains("# 30 Sep 2020", Line(yaml, "sw_fte"));
        Assert.Contains("# 31 Mar 2021", Line(yaml, "cin_per_10k"));
        AssertLoads(yaml);
    }

    [Fact]
    public void The_timeline_holds_inspections_published_by_the_date()
    {
        var data = Data();

        var before = Parse(ScenarioFromData.Build(data, AuthoritySelection.Authority("E08000014"), D("2022-05-08")));
        var onTheDay = Parse(ScenarioFromData.Build(data, AuthoritySelection.Authority("E08000014"), D("2022-05-09")));

        var events = Seq(Seq(before, "authorities")[0], "timeline");
        var inspection = (YamlMappingNode)Assert.Single(events);
        Assert.Equal("2016-04", Scalar(inspection, "date"));
        Assert.Equal("inspection", Scalar(inspection, "event"));
        Assert.Equal("requires_improvement", Scalar(inspection, "grade"));
        Assert.Equal("requires_improvement", Scalar(inspection, "leaders"));
        Assert.Equal("requires_improvement", Scalar(inspection, "help_and_protection"));
        Assert.False(Has(inspection, "children_in_care"));
        Assert.Equal("2016-06-27", Scalar(inspection, "published"));
        Assert.Contains("inspections.csv", Scalar(inspection, "source"));
        var both = Seq(Seq(onTheDay, "authorities")[0], "timeline");
        Assert.Equal(2, both.Children.Count);
        Assert.Equal("inadequate", Scalar(both[1], "children_in_care"));
        Assert.Contains("published after 2022-05-08", ScenarioFromData.Build(data, AuthoritySelection.Authority("E08000014"), D("2022-05-08")));
    }

    [Fact]
    public void An_estimated_inspection_start_is_said_in_the_source()
    {
        var yaml = ScenarioFromData.Build(Data(), AuthoritySelection.Authority("Liverpool"), D("2022-10-01"));

        var inspection = Seq(Seq(Parse(yaml), "authorities")[0], "timeline")[0];
        Assert.Contains("estimated", Scalar(inspection, "source"));
    }

    [Fact]
    public void A_missing_figure_falls_back_to_the_latest_earlier_year_and_says_so()
    {
        var yaml = ScenarioFromData.Build(Data(), AuthoritySelection.Authority("Sefton"), D("2022-10-01"));

        var initial = Map(Seq(Parse(yaml), "authorities")[0], "initial");
        Assert.Equal("520", Scalar(initial, "cin_per_10k")); // 2022
        Assert.Equal("120", Scalar(initial, "cla_per_10k")); // 2021: none in 2022
        Assert.Contains("31 Mar 2021 (latest with a value)", Line(yaml, "cla_per_10k"));
        Assert.Equal("152.1", Scalar(initial, "sw_fte")); // 30 Sep 2022
        Assert.Equal("21.3", Scalar(initial, "caseload")); // 2021: none in 2022
        Assert.Contains("30 Sep 2021 (latest with a value)", Line(yaml, "caseload"));
        AssertLoads(yaml);
    }

    [Fact]
    public void Optional_figures_older_than_the_limit_are_left_out()
    {
        var data = Data();

        var recent = Map(Seq(Parse(ScenarioFromData.Build(data, AuthoritySelection.Authority("Sefton"), D("2022-10-01"))), "authorities")[0], "initial");
        var strict = Map(Seq(Parse(ScenarioFromData.Build(data, AuthoritySelection.Authority("Sefton"), D("2022-10-01"),
            new ScenarioBuildOptions { MaxOptionalAgeYears = 0 })), "authorities")[0], "initial");

        Assert.Equal("0.122", Scalar(recent, "turnover_rate")); // mean of 2020 (0.143) and 2021 (0.101): one year is mostly noise
        Assert.Contains("mean of 30 Sep 2020-2021", Line(ScenarioFromData.Build(data, AuthoritySelection.Authority("Sefton"), D("2022-10-01")), "turnover_rate"));
        Assert.False(Has(strict, "turnover_rate"));
        Assert.False(Has(strict, "rereferral_share"));
    }

    [Fact]
    public void Required_figures_missing_everywhere_come_from_the_statistical_neighbours_median()
    {
        var result = ScenarioFromData.BuildDetailed(Data(), AuthoritySelection.Authority("Halton"), D("2022-10-01"));

        var initial = Map(Seq(Parse(result.Yaml), "authorities")[0], "initial");
        // cpp per 10k: Wirral 310/6 = 51.67, Liverpool 62, Knowsley 52.5 -> median 52.5.
        Assert.Equal("52.5", Scalar(initial, "cpp_per_10k"));
        Assert.Contains("statistical neighbours' median (3 of 3 with data)", Line(result.Yaml, "cpp_per_10k"));
        // sw_fte: per child 310/60000, 520/100000, 105/40000 -> median 0.0051667 x 30000 = 155.
        Assert.Equal("155", Scalar(initial, "sw_fte"));
        Assert.Contains("statistical neighbours' median", Line(result.Yaml, "sw_fte"));
        Assert.Equal("18", Scalar(initial, "caseload")); // 18, 19, 17
        Assert.Contains(result.Notes, n => n.Contains("Halton: cpp_per_10k", StringComparison.Ordinal));
        AssertLoads(result.Yaml);
    }

    [Fact]
    public void An_authority_without_an_inspection_gets_the_default_quality()
    {
        var yaml = ScenarioFromData.Build(Data(), AuthoritySelection.Authority("Wirral"), D("2022-10-01"));

        var authority = Seq(Parse(yaml), "authorities")[0];
        Assert.Equal("0.45", Scalar(Map(authority, "initial"), "quality"));
        Assert.Contains("no inspection on record", Line(yaml, "quality"));
        Assert.False(Has(authority, "timeline"));
        AssertLoads(yaml);
    }

    [Fact]
    public void Children_in_need_are_raised_to_cover_plans_and_care_when_the_data_fall_short()
    {
        var folder = new BaselineFixture()
            .Authority("E06000001", "805", "Hartlepool", "North East")
            .Year("E06000001", 2021, Merge(Demand(20000, 1000, 200, 100, 200, 100), Workforce(80, 10, 5, 15)))
            .Write(_dir, "small");

        var result = ScenarioFromData.BuildDetailed(BaselineDataset.Load(folder), AuthoritySelection.Authority("Hartlepool"), D("2021-10-01"));

        var initial = Map(Seq(Parse(result.Yaml), "authorities")[0], "initial");
        Assert.Equal("150", Scalar(initial, "cin_per_10k")); // cpp 50 + cla 100; data say 100
        Assert.Contains("raised from 100", Line(result.Yaml, "cin_per_10k"));
        Assert.Contains(result.Notes, n => n.Contains("raised", StringComparison.Ordinal));
        AssertLoads(result.Yaml);
    }

    [Theory]
    [InlineData("2018-10-01", "E10000009")]
    [InlineData("2021-10-01", "E06000059")]
    public void A_name_shared_by_two_authorities_means_the_one_that_existed_at_the_date(string asOf, string code)
    {
        var folder = new BaselineFixture()
            .Authority("E10000009", "835", "Dorset", "South West", firstYear: "2018", lastYear: "2018")
            .Authority("E06000059", "838", "Dorset", "South West", firstYear: "2021", lastYear: "2021")
            .Year("E10000009", 2018, Merge(Demand(80000, 4000, 3000, 300, 500, 62), Workforce(200, 20, 20, 15)))
            .Year("E06000059", 2021, Merge(Demand(75000, 3800, 2900, 290, 480, 64), Workforce(190, 25, 18, 14)))
            .Write(_dir, "dorset");

        var result = ScenarioFromData.BuildDetailed(BaselineDataset.Load(folder), AuthoritySelection.Authority("Dorset"), D(asOf));

        Assert.Equal([code], result.AuthorityCodes);
    }

    [Fact]
    public void An_unknown_authority_lists_the_closest_names_and_codes()
    {
        var ex = Assert.Throws<UnknownAuthorityException>(() => ScenarioFromData.Build(Data(), AuthoritySelection.Authority("Seftn"), D("2022-10-01")));

        Assert.Contains("Seftn", ex.Message);
        Assert.Contains("Sefton (E08000014, 343)", ex.Message);
    }

    [Fact]
    public void A_region_selects_its_authorities_only()
    {
        var result = ScenarioFromData.BuildDetailed(Data(), AuthoritySelection.Region("north west"), D("2021-10-01"));

        var root = Parse(result.Yaml);
        Assert.Equal("North West from official data as of 2021-10-01", Scalar(root, "name"));
        var codes = Seq(root, "authorities").Select(a => Scalar(a, "code")).ToList();
        Assert.Equal(["E06000006", "E08000011", "E08000012", "E08000014", "E08000015"], codes.OrderBy(c => c, StringComparer.Ordinal));
        Assert.DoesNotContain("E08000035", codes);
        Assert.All(Seq(root, "authorities"), a => Assert.Equal("North West", Scalar(a, "region")));
        Assert.Equal(codes, result.AuthorityCodes);
        AssertLoads(result.Yaml);
    }

    [Fact]
    public void Authorities_that_did_not_report_in_the_latest_collection_are_left_out_of_a_region()
    {
        // Halton has figures for 2021 only: at 2022-10-01 it looks abolished.
        var result = ScenarioFromData.BuildDetailed(Data(), AuthoritySelection.Region("North West"), D("2022-10-01"));

        Assert.DoesNotContain("E06000006", result.AuthorityCodes);
        Assert.Contains(result.Skipped, s => s.Contains("Halton", StringComparison.Ordinal) && s.Contains("latest collections", StringComparison.Ordinal));
    }

    [Fact]
    public void England_selects_every_authority_that_reported()
    {
        var result = ScenarioFromData.BuildDetailed(Data(), AuthoritySelection.AllEngland, D("2021-10-01"));

        Assert.Equal(6, result.AuthorityCodes.Count);
        Assert.StartsWith("England from official data", Scalar(Parse(result.Yaml), "name"));
        AssertLoads(result.Yaml);
    }

    [Fact]
    public void In_a_region_an_authority_without_the_required_figures_is_left_out_with_the_reason()
    {
        var folder = new BaselineFixture()
            .Authority("E08000014", "343", "Sefton", "North West")
            .Authority("E06000006", "876", "Halton", "North West")
            .Year("E08000014", 2021, Merge(Demand(50000, 2500, 2100, 250, 600, 120), Workforce(155, 38, 19, 21)))
            .Year("E06000006", 2021, new() { [Measures.Population] = 30000, [Measures.Referrals] = 1500 })
            .Write(_dir, "gap");

        var result = ScenarioFromData.BuildDetailed(BaselineDataset.Load(folder), AuthoritySelection.Region("North West"), D("2021-10-01"));

        Assert.Equal(["E08000014"], result.AuthorityCodes);
        Assert.Contains(result.Skipped, s => s.Contains("Halton", StringComparison.Ordinal) && s.Contains("cin_per_10k", StringComparison.Ordinal));
        Assert.Contains("# Left out: Halton", result.Yaml);
    }

    [Fact]
    public void An_as_of_date_before_any_data_is_a_clear_error()
    {
        var ex = Assert.Throws<ScenarioBuildException>(() => ScenarioFromData.Build(Data(), AuthoritySelection.Authority("Sefton"), D("2019-01-01")));

        Assert.Contains("before any data", ex.Message);
        Assert.Contains("31 Mar 2020", ex.Message);
        Assert.Contains("30 Sep 2020", ex.Message);
    }

    [Fact]
    public void An_as_of_date_more_than_a_year_beyond_the_data_is_a_clear_error()
    {
        var ex = Assert.Throws<ScenarioBuildException>(() => ScenarioFromData.Build(Data(), AuthoritySelection.Authority("Liverpool"), D("2026-12-31")));

        Assert.Equal("As-of date 2026-12-31 is beyond the data: the latest figures refer to 31 Mar 2022 (demand) and 30 Sep 2022 (workforce), so a scenario as of 2026-12-31 would present them as current; use an as-of date up to 2023-09-30, or import newer data.",
            ex.Message);
        Assert.Throws<ScenarioBuildException>(() => ScenarioFromData.Build(Data(), AuthoritySelection.Authority("Liverpool"), D("2023-10-01")));
    }

    [Fact]
    public void Within_a_year_of_the_data_the_header_names_the_latest_figures_in_the_data()
    {
        var yaml = ScenarioFromData.Build(Data(), AuthoritySelection.Authority("Liverpool"), D("2023-09-30"));

        Assert.Contains("# workforce figures as at 30 September (latest 2022), demand figures as at 31 March (latest 2022).", yaml);
        Assert.Contains("(workforce at 30 Sep 2022, demand at 31 Mar 2022)", yaml);
    }

    [Fact]
    public void Figures_that_start_after_the_date_are_an_error_unless_later_figures_are_allowed()
    {
        var data = Data();

        // As of 2020-10-01 Sefton has workforce (2020) and demand (2020) figures but no population yet.
        var ex = Assert.Throws<ScenarioBuildException>(() => ScenarioFromData.Build(data, AuthoritySelection.Authority("Sefton"), D("2020-10-01")));
        Assert.Contains("population", ex.Message);
        Assert.Contains("31 Mar 2021", ex.Message);
        Assert.Contains("choose a later date", ex.Message);
        Assert.DoesNotContain(nameof(ScenarioBuildOptions.UseLaterFiguresWhenMissing), ex.Message); // a plain message, not a C# option name

        var result = ScenarioFromData.BuildDetailed(data, AuthoritySelection.Authority("Sefton"), D("2020-10-01"),
            new ScenarioBuildOptions { UseLaterFiguresWhenMissing = true });
        var initial = Map(Seq(Parse(result.Yaml), "authorities")[0], "initial");
        Assert.Equal("50000", Scalar(initial, "population"));
        Assert.Equal("454", Scalar(initial, "cin_per_10k")); // 2020 count 2270 over the 2021 population
        Assert.Equal("120", Scalar(initial, "cla_per_10k")); // 2021, looking ahead
        Assert.Contains("looks ahead", Line(result.Yaml, "cla_per_10k"));
        Assert.Equal("143.1", Scalar(initial, "sw_fte"));
        AssertLoads(result.Yaml);
    }

    [Fact]
    public void Options_set_name_horizon_replicas_seed_and_schema_line()
    {
        var yaml = ScenarioFromData.Build(Data(), AuthoritySelection.Authority("Sefton"), D("2021-03-31"),
            new ScenarioBuildOptions { Name = "Test \"quoted\"", HorizonMonths = 24, Replicas = 10, Seed = 7, SchemaReference = "../scenarios/schema.json" });

        Assert.StartsWith("# yaml-language-server: $schema=../scenarios/schema.json\n", yaml);
        var root = Parse(yaml);
        Assert.Equal("Test \"quoted\"", Scalar(root, "name"));
        Assert.Equal("24", Scalar(root, "horizon_months"));
        Assert.Equal("10", Scalar(root, "replicas"));
        Assert.Equal("7", Scalar(root, "seed"));
    }

    [Fact]
    public void Run_writes_the_file_and_returns_exit_codes()
    {
        var folder = Folder();
        _dir.Write("repo/scenarios/schema.json", "{}");
        var outFile = _dir.Combine("repo", "scenarios", "generated", "sefton.yaml");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        Assert.Equal(0, ScenarioFromData.Run(folder, "Sefton", null, false, D("2021-03-31"), outFile, stdout, stderr));
        var yaml = File.ReadAllText(outFile);
        Assert.StartsWith("# yaml-language-server: $schema=../schema.json", yaml);
        Assert.Equal("", stdout.ToString());
        Assert.Contains($"Wrote {outFile}: 1 authority as of 2021-03-31.", stderr.ToString());

        var toStdout = new StringWriter();
        Assert.Equal(0, ScenarioFromData.Run(folder, null, "North West", false, D("2022-10-01"), null, toStdout, new StringWriter()));
        Assert.Contains("authorities:", toStdout.ToString());

        var usage = new StringWriter();
        Assert.Equal(2, ScenarioFromData.Run(folder, "Sefton", "North West", false, D("2021-03-31"), null, new StringWriter(), usage));
        Assert.Contains("exactly one", usage.ToString());
        Assert.Equal(2, ScenarioFromData.Run(folder, null, null, false, D("2021-03-31"), null, new StringWriter(), new StringWriter()));

        var unknown = new StringWriter();
        Assert.Equal(2, ScenarioFromData.Run(folder, "Seftn", null, false, D("2021-03-31"), null, new StringWriter(), unknown));
        Assert.Contains("Sefton (E08000014, 343)", unknown.ToString());

        var missing = new StringWriter();
        Assert.Equal(2, ScenarioFromData.Run(_dir.Combine("none"), "Sefton", null, false, D("2021-03-31"), null, new StringWriter(), missing));
        Assert.Contains("none", missing.ToString());
    }
}
