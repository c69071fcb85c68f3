namespace CareSim.Scenarios.Tests;

/// <summary>Scenario texts shared by the tests.</summary>
internal static class TestScenarios
{
    /// <summary>A small valid scenario: one authority with a quality and no timeline. Line numbers matter to the tests.</summary>
    public const string Minimal = """
        name: Test
        start: 2021-04
        horizon_months: 24
        authorities:
          - code: E1
            name: Alpha
            region: North West
            initial:
              population: 50000
              referrals_per_10k: 500
              cin_per_10k: 400
              cpp_per_10k: 50
              cla_per_10k: 100
              sw_fte: 150
              agency_fte: 30
              vacancy_fte: 20
              caseload: 18
              quality: 0.5
        """;

    /// <summary>Three authorities, a shared commissioner, labour markets, a full timeline and every section.</summary>
    public const string Full = """
        # yaml-language-server: $schema=schema.json
        name: Sefton 2022-23
        description: Test scenario
        start: 2021-04
        horizon_months: 81
        replicas: 500
        seed: 20220509
        history_until: 2023-12
        outcomes_from: 2022-05
        parameters:
          quality.culture_growth: 0.04
          ofsted.publication_lag_months: 3
        authorities:
          - code: E08000014
            name: Sefton
            region: North West
            labour_market: liverpool-city-region
            parameters:
              quality.culture_growth: 0.02
            initial:
              population: 52920
              population_growth_per_year: 0.005
              referrals_per_10k: 483
              rereferral_share: 0.172
              cin_per_10k: 409
              cpp_per_10k: 47.6
              cla_per_10k: 116
              cpp_starts_per_10k: 56
              sw_fte: 155.2
              agency_fte: 38.2
              vacancy_fte: 19
              turnover_rate: 0.101
              caseload: 21.3
              budget_gbp_m: 12.5
              culture: 0.6
            timeline:
              - {date: 2022-05, event: direction, commissioner: true}
              - {date: 2016-05, event: inspection, grade: requires_improvement, leaders: requires_improvement, help_and_protection: good, children_in_care: requires_improvement, published: 2016-06-27, source: "Ofsted 2016"}
              - {date: 2021-07, event: improvement_notice}
              - {date: 2021-06, event: leader_change, role: dcs, interim: true}
              - {date: 2022-02, event: inspection, grade: inadequate, published: 2022-05-09}
              - {date: 2022-09, event: commissioner_review, recommendation: keep_with_oversight}
              - {date: 2021-10, event: investment, budget_gbp_m_per_year: 10, posts: 90, academy_intake_per_year: 10}
              - {date: 2023-02, event: monitoring_visit, adequate: false}
              - {date: 2023-04, event: budget, annual_gbp_m: 80}
              - {date: 2023-05, event: leader_made_permanent, role: dcs}
              - {date: 2023-05, event: leader_change, role: lead_member}
              - {date: 2024-01, event: direction_lifted}
              - {date: 2025-01, event: inspection}
              - {date: 2030-01, event: removal}
          - code: E08000011
            name: Knowsley
            region: North West
            labour_market: liverpool-city-region
            initial:
              population: 35000
              referrals_per_10k: 600
              cin_per_10k: 450
              cpp_per_10k: 60
              cla_per_10k: 130
              sw_fte: 100
              agency_fte: 10
              vacancy_fte: 12
              caseload: 17
              quality: 0.45
            timeline:
              - date: 2023-06
                event: partnership
          - code: E08000024
            name: Sunderland
            region: North East
            initial:
              population: 55000
              referrals_per_10k: 700
              cin_per_10k: 500
              cpp_per_10k: 55
              cla_per_10k: 120
              sw_fte: 160
              agency_fte: 5
              vacancy_fte: 10
              caseload: 15
            timeline:
              - {date: 2018-07, event: inspection, grade: good}
              - {date: 2021-04, event: removal}
        commissioners:
          - id: lcr-regional
            oversees: [E08000011, E08000014]
        outputs:
          per_replica: true
          metrics: [sw_fte, caseload]
        """;

    /// <summary>Loads text with a fixed source name.</summary>
    public static ScenarioLoadResult Load(string yaml, ScenarioOverrides? overrides = null, string? baseDirectory = null) =>
        ScenarioLoader.LoadText(yaml, "test.yaml", baseDirectory, overrides);

    /// <summary>The single error of loading <paramref name="yaml"/> (fails if there are more or none).</summary>
    public static ScenarioError SingleError(string yaml, ScenarioOverrides? overrides = null)
    {
        var result = Load(yaml, overrides);
        Assert.False(result.IsValid);
        Assert.Null(result.Plan);
        return Assert.Single(result.Errors);
    }

    /// <summary><paramref name="yaml"/> with the first occurrence of <paramref name="from"/> replaced (which must exist).</summary>
    public static string Replace(this string yaml, string from, string to)
    {
        var index = yaml.IndexOf(from, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{from}' not in the scenario");
        return yaml[..index] + to + yaml[(index + from.Length)..];
    }
}

/// <summary>Locates files of the repository from the test binaries.</summary>
internal static class Repository
{
    public static string Root => CareSim.TestSupport.RepositoryRoot.Path;

    public static string PathOf(string relative) => CareSim.TestSupport.RepositoryRoot.Combine(relative);
}
