using CareSim.Model.Parameters;
using CareSim.Model.Plan;
using CareSim.Model.Time;

namespace CareSim.Scenarios.Tests;

public class LoadingTests
{
    [Fact]
    public void Full_scenario_compiles_with_run_settings()
    {
        var result = TestScenarios.Load(TestScenarios.Full);

        Assert.True(result.IsValid, result.FormatErrors());
        var plan = result.Plan!;
        Assert.Equal("Sefton 2022-23", plan.Name);
        Assert.Equal(new SimMonth(2021, 4), plan.Start);
        Assert.Equal(81, plan.HorizonMonths);
        Assert.Equal(500, plan.Replicas);
        Assert.Equal(20220509UL, plan.Seed);
        Assert.Equal(32, plan.HistoryUntilMonth);
        Assert.Equal(13, plan.OutcomesFromMonth);
        Assert.Equal(["E08000014", "E08000011", "E08000024"], plan.Authorities.Select(a => a.Code));
    }

    [Fact]
    public void Events_get_months_relative_to_start_sorted_stably_and_are_dropped_after_the_horizon()
    {
        var sefton = TestScenarios.Load(TestScenarios.Full).Plan!.Authorities[0];

        Assert.Equal([-59, 2, 3, 6, 10, 13, 17, 22, 24, 25, 25, 33, 45], sefton.Events.Select(e => e.Month));
        Assert.Equal(
            new TimelineEvent[]
            {
                new InspectionEvent(-59, Grade.RequiresImprovement, Grade.RequiresImprovement, Grade.Good, Grade.RequiresImprovement, PublishedMonth: -58),
                new LeaderChangeEvent(2, LeaderRole.Dcs, Interim: true),
                new ImprovementNoticeEvent(3),
                new InvestmentEvent(6, 10, 90, 10),
                new InspectionEvent(10, Grade.Inadequate, PublishedMonth: 13),
                new DirectionEvent(13, WithCommissioner: true),
                new CommissionerReviewEvent(17, Recommendation.KeepWithOversight),
                new MonitoringVisitEvent(22, Adequate: false),
                new BudgetEvent(24, 80),
                new LeaderMadePermanentEvent(25, LeaderRole.Dcs),
                new LeaderChangeEvent(25, LeaderRole.LeadMember, Interim: false),
                new DirectionLiftedEvent(33),
                new InspectionEvent(45),
            },
            sefton.Events);
    }

    [Fact]
    public void Initial_state_maps_fields_and_keeps_model_defaults_for_absent_ones()
    {
        var plan = TestScenarios.Load(TestScenarios.Full).Plan!;
        var sefton = plan.Authorities[0].Initial;
        Assert.Equal(52920, sefton.Population);
        Assert.Equal(0.005, sefton.PopulationGrowthPerYear);
        Assert.Equal(0.172, sefton.RereferralShare);
        Assert.Equal(0.63, sefton.CinStartShare);
        Assert.Equal(47.6, sefton.CppPer10k);
        Assert.Equal(56, sefton.CppStartsPer10k);
        Assert.Null(sefton.ClaStartsPer10k);
        Assert.Equal(155.2, sefton.SocialWorkerFte);
        Assert.Equal(38.2, sefton.AgencyFte);
        Assert.Equal(21.3, sefton.Caseload);
        Assert.Equal(12.5, sefton.BudgetGbpM);
        Assert.Null(sefton.Quality);
        Assert.Equal(0.6, sefton.Culture);
        Assert.Equal(0.45, plan.Authorities[1].Initial.Quality);
    }

    [Fact]
    public void Commissioners_listed_first_then_one_per_remaining_authority()
    {
        var plan = TestScenarios.Load(TestScenarios.Full).Plan!;

        Assert.Equal(2, plan.Commissioners.Count);
        Assert.Equal("lcr-regional", plan.Commissioners[0].Id);
        Assert.Equal([1, 0], plan.Commissioners[0].AuthorityIndices);
        Assert.Equal("commissioner-E08000024", plan.Commissioners[1].Id);
        Assert.Equal([2], plan.Commissioners[1].AuthorityIndices);
        Assert.Equal([0, 0, 1], plan.Authorities.Select(a => a.CommissionerIndex));
    }

    [Fact]
    public void Labour_markets_by_first_appearance_default_to_region()
    {
        var plan = TestScenarios.Load(TestScenarios.Full).Plan!;

        Assert.Equal(["liverpool-city-region", "North East"], plan.LabourMarkets.Select(m => m.Id));
        Assert.Equal([0, 1], plan.LabourMarkets[0].AuthorityIndices);
        Assert.Equal([2], plan.LabourMarkets[1].AuthorityIndices);
        Assert.Equal([0, 0, 1], plan.Authorities.Select(a => a.LabourMarketIndex));
        Assert.Equal("North West", plan.Authorities[0].Region);
    }

    [Fact]
    public void Authority_parameters_override_the_scenario_parameters()
    {
        var plan = TestScenarios.Load(TestScenarios.Full).Plan!;

        Assert.Equal(0.04, plan.Parameters[P.CultureGrowth]);
        Assert.Equal(3, plan.Parameters[P.PublicationLagMonths]);
        Assert.Equal(0.02, plan.Authorities[0].Parameters[P.CultureGrowth]);
        Assert.Equal(3, plan.Authorities[0].Parameters[P.PublicationLagMonths]);
        Assert.Equal(0.04, plan.Authorities[1].Parameters[P.CultureGrowth]);
        Assert.Equal(P.CultureDecay.Default, plan.Authorities[1].Parameters[P.CultureDecay]);
    }

    [Fact]
    public void Outputs_are_read()
    {
        var result = TestScenarios.Load(TestScenarios.Full);
        Assert.True(result.Outputs.PerReplica);
        Assert.Equal(["sw_fte", "caseload"], result.Outputs.Metrics);
    }

    [Fact]
    public void Defaults_apply_when_optional_fields_are_absent()
    {
        var result = TestScenarios.Load(TestScenarios.Minimal);

        Assert.True(result.IsValid, result.FormatErrors());
        var plan = result.Plan!;
        Assert.Equal(1000, plan.Replicas);
        Assert.Equal(1UL, plan.Seed);
        Assert.Equal(0, plan.HistoryUntilMonth);
        Assert.Equal(0, plan.OutcomesFromMonth);
        Assert.Equal(ModelParameters.Defaults.Values, plan.Parameters.Values);
        Assert.Empty(plan.Authorities[0].Events);
        Assert.Equal("commissioner-E1", Assert.Single(plan.Commissioners).Id);
        Assert.Equal("North West", Assert.Single(plan.LabourMarkets).Id);
        Assert.False(result.Outputs.PerReplica);
        Assert.Equal(CareSim.Model.Outputs.MetricCatalog.Count, result.Outputs.Metrics.Count);
        var initial = plan.Authorities[0].Initial;
        Assert.Equal(0.22, initial.RereferralShare);
        Assert.Equal(0, initial.PopulationGrowthPerYear);
    }

    [Fact]
    public void Sha256_and_source_text_are_those_of_the_text()
    {
        var result = ScenarioLoader.LoadText("abc", "x.yaml");
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", result.Sha256);
        Assert.Equal("abc", result.SourceText);
    }

    [Fact]
    public void Load_reads_a_file_and_hashes_its_bytes()
    {
        var directory = Directory.CreateTempSubdirectory("caresim-scenarios-");
        try
        {
            var path = Path.Combine(directory.FullName, "s.yaml");
            File.WriteAllText(path, TestScenarios.Minimal);
            var result = ScenarioLoader.Load(path);
            Assert.True(result.IsValid, result.FormatErrors());
            Assert.Equal(TestScenarios.Minimal, result.SourceText);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))), result.Sha256);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Missing_file_is_an_error_not_an_exception()
    {
        var result = ScenarioLoader.Load("/nonexistent/caresim/scenario.yaml");
        var error = Assert.Single(result.Errors);
        Assert.Equal("/nonexistent/caresim/scenario.yaml", error.File);
        Assert.Contains("file not found", error.Message, StringComparison.Ordinal);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Anchors_and_aliases_are_resolved()
    {
        var yaml = TestScenarios.Minimal
            .Replace("    initial:\n", "    initial: &base\n")
            + "\n  - code: E2\n    name: Beta\n    region: North West\n    initial: *base\n";
        var result = TestScenarios.Load(yaml);
        Assert.True(result.IsValid, result.FormatErrors());
        Assert.Equal(result.Plan!.Authorities[0].Initial, result.Plan.Authorities[1].Initial);
    }
}
