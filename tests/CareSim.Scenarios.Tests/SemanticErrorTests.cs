using CareSim.Model.Plan;

namespace CareSim.Scenarios.Tests;

/// <summary>Errors found after the format checks: cross-references, dates, consistency; and timeline events.</summary>
public class SemanticErrorTests
{
    /// <summary>Minimal with a timeline; event i is on line 20 + i, starting at column 9.</summary>
    private static string WithTimeline(string yaml, params string[] events) =>
        yaml + "\n    timeline:\n" + string.Join("\n", events.Select(e => "      - " + e));

    /// <summary>Minimal with a second authority (code <paramref name="code"/>) sharing the first's initial state; its code is at 19:11.</summary>
    private static string WithSecondAuthority(string code) =>
        TestScenarios.Minimal.Replace("    initial:", "    initial: &base") + $"\n  - code: {code}\n    name: Beta\n    region: North West\n    initial: *base";

    private static void AssertError(ScenarioError error, int line, int column, string path, string message) =>
        Assert.Equal((line, column, path, message), (error.Line, error.Column, error.Path, error.Message));

    [Fact]
    public void Duplicate_authority_codes()
    {
        var error = TestScenarios.SingleError(WithSecondAuthority("E1"));
        AssertError(error, 19, 11, "authorities[1].code", "duplicate authority code 'E1' (also authorities[0]); codes must be unique");
    }

    [Fact]
    public void Authority_without_an_inspection_before_start_needs_an_initial_quality()
    {
        var noQuality = TestScenarios.Minimal.Replace("\n      quality: 0.5", "");
        AssertError(TestScenarios.SingleError(noQuality), 5, 5, "authorities[0]",
            "no inspection before start (2021-04) and no initial.quality: the starting practice quality is unknown; add a graded inspection before 2021-04 to the timeline or set initial.quality (0-1)");

        Assert.Single(TestScenarios.Load(WithTimeline(noQuality, "{date: 2021-05, event: inspection, grade: good}")).Errors);

        var withHistory = TestScenarios.Load(WithTimeline(noQuality, "{date: 2019-05, event: inspection, grade: good}"));
        Assert.True(withHistory.IsValid, withHistory.FormatErrors());
        Assert.Equal(new InspectionEvent(-23, Grade.Good), Assert.Single(withHistory.Plan!.Authorities[0].Events));
    }

    [Fact]
    public void Inspection_before_start_must_have_a_grade_but_one_after_start_may_omit_it()
    {
        var error = TestScenarios.SingleError(WithTimeline(TestScenarios.Minimal, "{date: 2020-01, event: inspection, leaders: good}"));
        AssertError(error, 20, 9, "authorities[0].timeline[0]",
            "missing required field 'grade': an inspection before start (2021-04) is history and must give its overall grade (inadequate, requires_improvement, good, outstanding)");

        var later = TestScenarios.Load(WithTimeline(TestScenarios.Minimal, "{date: 2021-04, event: inspection, leaders: good}"));
        Assert.True(later.IsValid, later.FormatErrors());
        Assert.Equal(new InspectionEvent(0, Leaders: Grade.Good), Assert.Single(later.Plan!.Authorities[0].Events));
    }

    [Fact]
    public void Published_must_not_be_before_the_inspection()
    {
        var error = TestScenarios.SingleError(WithTimeline(TestScenarios.Minimal, "{date: 2020-01, event: inspection, grade: good, published: 2019-12-20}"));
        AssertError(error, 20, 68, "authorities[0].timeline[0].published", "published (2019-12) must not be before date (2020-01)");
    }

    [Theory]
    [InlineData("history_until: 2021-03", "history_until", "2021-03")]
    [InlineData("history_until: 2023-05", "history_until", "2023-05")]
    [InlineData("outcomes_from: 2030-01-15", "outcomes_from", "2030-01")]
    public void History_and_outcome_months_must_lie_within_the_run(string line, string path, string shown)
    {
        var error = TestScenarios.SingleError(TestScenarios.Minimal.Replace("horizon_months: 24", "horizon_months: 24\n" + line));
        AssertError(error, 4, path.Length + 3, path, $"must be between 2021-04 (start) and 2023-04 (start + horizon_months), got {shown}");
    }

    [Fact]
    public void History_and_outcome_months_at_the_ends_of_the_run_are_allowed()
    {
        var result = TestScenarios.Load(TestScenarios.Minimal.Replace("horizon_months: 24", "horizon_months: 24\nhistory_until: 2023-04\noutcomes_from: 2021-04"));
        Assert.True(result.IsValid, result.FormatErrors());
        Assert.Equal((24, 0), (result.Plan!.HistoryUntilMonth, result.Plan.OutcomesFromMonth));
    }

    [Fact]
    public void Outcomes_from_at_the_end_of_the_run_leaves_no_outcome_window()
    {
        var error = TestScenarios.SingleError(TestScenarios.Minimal.Replace("horizon_months: 24", "horizon_months: 24\noutcomes_from: 2023-04"));
        AssertError(error, 4, 16, "outcomes_from",
            "no outcome window: the run ends at 2023-03 (start + horizon_months - 1), before outcomes_from (2023-04), so months to requires improvement and to good cannot be measured; set horizon_months to at least 25 or an earlier outcomes_from");

        var lastMonth = TestScenarios.Load(TestScenarios.Minimal.Replace("horizon_months: 24", "horizon_months: 24\noutcomes_from: 2023-03"));
        Assert.True(lastMonth.IsValid, lastMonth.FormatErrors());
    }

    [Fact]
    public void Events_after_the_end_of_the_run_are_warnings_and_not_simulated()
    {
        var result = TestScenarios.Load(WithTimeline(TestScenarios.Minimal,
            "{date: 2023-03, event: partnership}", "{date: 2023-04, event: removal}", "{date: 2030-01, event: inspection}"));
        Assert.True(result.IsValid, result.FormatErrors());
        Assert.Equal(new TimelineEvent[] { new PartnershipEvent(23) }, result.Plan!.Authorities[0].Events);
        Assert.Equal(
            [
                "test.yaml:21:16: authorities[0].timeline[1].date: 2023-04 is after the end of the run (2023-03): this event is not simulated",
                "test.yaml:22:16: authorities[0].timeline[2].date: 2030-01 is after the end of the run (2023-03): this event is not simulated",
            ],
            result.Warnings.Select(w => w.ToString()));

        var shortened = TestScenarios.Load(WithTimeline(TestScenarios.Minimal, "{date: 2022-01, event: partnership}"), new ScenarioOverrides(HorizonMonths: 9));
        Assert.Equal("test.yaml:20:16: authorities[0].timeline[0].date: 2022-01 is after the end of the run (2021-12): this event is not simulated",
            Assert.Single(shortened.Warnings).ToString());
        Assert.Empty(shortened.Plan!.Authorities[0].Events);
    }

    [Fact]
    public void Children_in_need_include_those_on_plans_and_looked_after()
    {
        var error = TestScenarios.SingleError(TestScenarios.Minimal.Replace("cin_per_10k: 400", "cin_per_10k: 100"));
        AssertError(error, 11, 20, "authorities[0].initial.cin_per_10k",
            "cin_per_10k (100) must be at least cpp_per_10k + cla_per_10k (150): children in need include those on plans and looked after");
    }

    [Fact]
    public void Commissioners_must_name_known_authorities_at_most_once()
    {
        var unknown = TestScenarios.SingleError(TestScenarios.Minimal + "\ncommissioners:\n  - id: c\n    oversees: [E1, E11]");
        AssertError(unknown, 21, 20, "commissioners[0].oversees[1]", "unknown authority code 'E11'; did you mean 'E1'?");

        var far = TestScenarios.SingleError(TestScenarios.Minimal + "\ncommissioners:\n  - id: c\n    oversees: [Z99999]");
        AssertError(far, 21, 16, "commissioners[0].oversees[0]", "unknown authority code 'Z99999'; expected one of the scenario's authority codes: E1");

        var twice = TestScenarios.SingleError(TestScenarios.Minimal + "\ncommissioners:\n  - id: c\n    oversees: [E1]\n  - id: d\n    oversees: [E1]");
        AssertError(twice, 23, 16, "commissioners[1].oversees[0]",
            "authority 'E1' is already overseen by commissioner 'c'; an authority may be in at most one commissioner");

        var repeated = TestScenarios.SingleError(TestScenarios.Minimal + "\ncommissioners:\n  - id: c\n    oversees: [E1, E1]");
        AssertError(repeated, 21, 20, "commissioners[0].oversees[1]", "duplicate item 'E1' (also at commissioners[0].oversees[0]); each item may appear once");
    }

    [Fact]
    public void Commissioner_ids_must_be_unique_and_not_take_an_automatic_id()
    {
        var duplicate = TestScenarios.SingleError(WithSecondAuthority("E2") + "\ncommissioners:\n  - id: c\n    oversees: [E1]\n  - id: c\n    oversees: [E2]");
        AssertError(duplicate, 26, 9, "commissioners[1].id", "duplicate commissioner id 'c'; ids must be unique");

        var reserved = TestScenarios.SingleError(WithSecondAuthority("E2") + "\ncommissioners:\n  - id: commissioner-E1\n    oversees: [E2]");
        AssertError(reserved, 24, 9, "commissioners[0].id",
            "commissioner id 'commissioner-E1' is reserved for authority 'E1', which has no listed commissioner; choose another id or list 'E1' under oversees");
    }

    [Fact]
    public void Unknown_event_type_suggests_the_closest_and_lists_all()
    {
        var error = TestScenarios.SingleError(WithTimeline(TestScenarios.Minimal, "{date: 2021-05, event: inspecton}"));
        AssertError(error, 20, 32, "authorities[0].timeline[0].event",
            "unknown event type 'inspecton'; did you mean 'inspection'? valid event types are: inspection, monitoring_visit, leader_change, leader_made_permanent, improvement_notice, direction, commissioner_review, direction_lifted, removal, partnership, investment, budget, programme, observed");
    }

    [Fact]
    public void Event_fields_depend_on_the_event_type()
    {
        var result = TestScenarios.Load(WithTimeline(TestScenarios.Minimal,
            "{date: 2021-05, event: monitoring_visit, grade: good}",
            "{date: 2021-05}",
            "{date: 2021-05, event: leader_change, interim: yes}",
            "{event: budget, annual_gbp_m: 5}",
            "{date: 2021-05, event: investment, budget_gbp_m_per_year: -3}",
            "[2021-05, inspection]"));

        Assert.Equal(
            [
                "20:50 authorities[0].timeline[0].grade: unknown field 'grade'; valid fields of this event are: date, event, adequate, source",
                "21:9 authorities[0].timeline[1]: missing required field 'event'; expected one of: inspection, monitoring_visit, leader_change, leader_made_permanent, improvement_notice, direction, commissioner_review, direction_lifted, removal, partnership, investment, budget, programme, observed",
                "22:9 authorities[0].timeline[2]: missing required field 'role'; expected one of: dcs, chief_executive, lead_member",
                "22:56 authorities[0].timeline[2].interim: expected true or false, got 'yes'",
                "23:9 authorities[0].timeline[3]: missing required field 'date'",
                "24:67 authorities[0].timeline[4].budget_gbp_m_per_year: must be at least 0, got -3",
                "25:9 authorities[0].timeline[5]: expected a mapping, got a list",
            ],
            result.Errors.Select(e => $"{e.Line}:{e.Column} {e.Path}: {e.Message}"));
    }

    [Fact]
    public void Observed_figures_compile_to_workforce_and_demand_observations()
    {
        var scenario = WithTimeline(TestScenarios.Minimal.Replace("horizon_months: 24", "horizon_months: 24\nhistory_until: 2022-10"),
            "{date: 2021-09, event: observed, sw_fte: 155.2, agency_fte: 38.2, vacancy_fte: 19, source: DfE csww 2021}",
            "{date: 2022-03, event: observed, referrals_per_10k: 784, cin_per_10k: 505, cpp_per_10k: 63.6, cla_per_10k: 112}");
        var result = TestScenarios.Load(scenario);
        Assert.True(result.IsValid, result.FormatErrors());
        Assert.Equal(
            new TimelineEvent[]
            {
                new ObservedEvent(5, new WorkforceObservation(155.2, 38.2, 19)),
                new ObservedEvent(11, Demand: new DemandObservation(784, 505, 63.6, 112)),
            },
            result.Plan!.Authorities[0].Events);
    }

    [Fact]
    public void Observed_figures_must_be_within_the_history_window_and_give_a_figure()
    {
        var scenario = WithTimeline(TestScenarios.Minimal.Replace("horizon_months: 24", "horizon_months: 24\nhistory_until: 2022-10"),
            "{date: 2022-10, event: observed, sw_fte: 150}",
            "{date: 2021-01, event: observed, sw_fte: 150}",
            "{date: 2021-09, event: observed}",
            "{date: 2022-03, event: observed, cin_per_10k: 100, cpp_per_10k: 60, cla_per_10k: 110}",
            "{date: 2021-09, event: observed, sw_fte: -1}");
        var errors = TestScenarios.Load(scenario).Errors.Select(e => $"{e.Path}: {e.Message}").ToList();
        Assert.Contains(errors, e => e.StartsWith("authorities[0].timeline[0].date: an observed event must fall within the history window, from start (2021-04) to before history_until (2022-10), got 2022-10", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("authorities[0].timeline[1].date: an observed event must fall within the history window", StringComparison.Ordinal));
        Assert.Contains("authorities[0].timeline[2]: an observed event needs at least one figure (sw_fte, agency_fte, vacancy_fte, referrals_per_10k, cin_per_10k, cpp_per_10k, cla_per_10k)", errors);
        Assert.Contains(errors, e => e.StartsWith("authorities[0].timeline[3].cin_per_10k: cin_per_10k (100) must be at least cpp_per_10k + cla_per_10k (170)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("authorities[0].timeline[4].sw_fte: must be greater than 0", StringComparison.Ordinal));
    }

    [Fact]
    public void Posts_can_be_cut_but_not_below_zero()
    {
        // Minimal: 150 staff in post + 20 vacancies = 170 funded posts.
        var cut = TestScenarios.Load(WithTimeline(TestScenarios.Minimal, "{date: 2021-06, event: investment, posts: -30}"));
        Assert.True(cut.IsValid, cut.FormatErrors());
        Assert.Equal(-30, ((InvestmentEvent)cut.Plan!.Authorities[0].Events.Single()).Posts);

        var errors = TestScenarios.Load(WithTimeline(TestScenarios.Minimal.Replace("horizon_months: 24", "horizon_months: 24\nhistory_until: 2022-10"),
            "{date: 2021-06, event: investment, posts: -30}",
            "{date: 2021-08, event: investment, posts: -150}",
            "{date: 2021-09, event: observed, sw_fte: 100, vacancy_fte: 10}",
            "{date: 2021-10, event: investment, posts: -120}")).Errors.Select(e => $"{e.Path}: {e.Message}").ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains("authorities[0].timeline[1].posts: posts (-150) would cut the funded posts below zero: 140 posts (staff in post plus vacancies) before this event", errors);
        // The observed figures reset the count: 100 + 10 = 110 before the last cut.
        Assert.Contains("authorities[0].timeline[3].posts: posts (-120) would cut the funded posts below zero: 110 posts (staff in post plus vacancies) before this event", errors);
    }

    [Fact]
    public void Strategies_cannot_add_observed_figures()
    {
        var result = TestScenarios.Load(TestScenarios.Minimal + "\nstrategies:\n  - name: s\n    events:\n      - {offset_months: 1, event: observed, sw_fte: 150}");
        Assert.Contains(result.Errors, e => e.Message.StartsWith("unknown event type 'observed'", StringComparison.Ordinal));
    }

    [Fact]
    public void Grades_and_roles_must_be_known_names()
    {
        var error = TestScenarios.SingleError(WithTimeline(TestScenarios.Minimal, "{date: 2021-05, event: inspection, grade: requires_improvment}"));
        AssertError(error, 20, 51, "authorities[0].timeline[0].grade",
            "expected one of: inadequate, requires_improvement, good, outstanding; got 'requires_improvment'; did you mean 'requires_improvement'?");
    }

    [Fact]
    public void Every_event_type_compiles_to_its_model_event()
    {
        var result = TestScenarios.Load(WithTimeline(TestScenarios.Minimal,
            "{date: 2021-05, event: monitoring_visit}",
            "{date: 2021-05, event: leader_change, role: chief_executive}",
            "{date: 2021-06, event: leader_made_permanent, role: lead_member}",
            "{date: 2021-07, event: direction, commissioner: false}",
            "{date: 2021-07, event: direction}",
            "{date: 2021-08, event: commissioner_review}",
            "{date: 2021-08, event: commissioner_review, recommendation: remove_to_trust}",
            "{date: 2021-09, event: commissioner_review, recommendation: partner}",
            "{date: 2021-10, event: partnership}",
            "{date: 2021-11, event: removal}",
            "{date: 2021-12, event: investment}",
            "{date: 2022-01, event: budget, annual_gbp_m: 0}",
            "{date: 2022-02, event: direction_lifted, source: DfE letter}"));

        Assert.True(result.IsValid, result.FormatErrors());
        Assert.Equal(
            new TimelineEvent[]
            {
                new MonitoringVisitEvent(1),
                new LeaderChangeEvent(1, LeaderRole.ChiefExecutive),
                new LeaderMadePermanentEvent(2, LeaderRole.LeadMember),
                new DirectionEvent(3, WithCommissioner: false),
                new DirectionEvent(3, WithCommissioner: true),
                new CommissionerReviewEvent(4),
                new CommissionerReviewEvent(4, Recommendation.RemoveToTrust),
                new CommissionerReviewEvent(5, Recommendation.Partner),
                new PartnershipEvent(6),
                new RemovalEvent(7),
                new InvestmentEvent(8),
                new BudgetEvent(9, 0),
                new DirectionLiftedEvent(10),
            },
            result.Plan!.Authorities[0].Events);
    }

    [Fact]
    public void Events_from_the_horizon_on_are_dropped_but_still_checked()
    {
        var result = TestScenarios.Load(WithTimeline(TestScenarios.Minimal,
            "{date: 2023-03, event: removal}",
            "{date: 2023-04, event: removal}",
            "{date: 2040-01, event: partnership}"));
        Assert.True(result.IsValid, result.FormatErrors());
        Assert.Equal([23], result.Plan!.Authorities[0].Events.Select(e => e.Month));

        var invalidLater = TestScenarios.SingleError(WithTimeline(TestScenarios.Minimal, "{date: 2040-01, event: inspection, grade: great}"));
        Assert.Equal("authorities[0].timeline[0].grade", invalidLater.Path);
    }
}
