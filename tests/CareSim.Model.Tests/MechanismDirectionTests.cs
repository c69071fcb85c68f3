using CareSim.Model.Outputs;
using CareSim.Model.Parameters;
using CareSim.Model.Plan;

namespace CareSim.Model.Tests;

/// <summary>
/// One test per mechanism showing the direction of its effect (docs/model.md). Each compares two
/// runs with the same seed that differ in one thing, so the difference is the mechanism's.
/// </summary>
public class MechanismDirectionTests
{
    private const int Replicas = 200;

    private static readonly TimelineEvent Ri2016 = new InspectionEvent(-59, Grade.RequiresImprovement, PublishedMonth: -58);

    private static CapturingSink Run(
        IReadOnlyList<TimelineEvent>? events = null,
        ModelParameters? parameters = null,
        AuthorityInitialState? initial = null,
        int horizon = 36,
        int historyUntil = 36) =>
        Simulate.Run(TestPlans.Single(
            TestPlans.Authority(initial: initial, events: events ?? [Ri2016], parameters: parameters),
            replicas: Replicas, horizon: horizon, historyUntil: historyUntil, parameters: parameters));

    private static ModelParameters With(ParameterDefinition p, double value) => ModelParameters.Defaults.With(p, value);

    private static readonly TimelineEvent[] InadequateAtMonth3 =
    [
        Ri2016,
        new InspectionEvent(3, Grade.Inadequate, Grade.Inadequate, Grade.Inadequate, Grade.Inadequate, PublishedMonth: 5),
    ];

    // ------------------------------------------------------------------ demand

    [Fact]
    public void Demand_scrutiny_raises_referrals_and_plans()
    {
        var calm = Run();
        var scrutinised = Run([Ri2016, new ImprovementNoticeEvent(0)]);
        Assert.True(scrutinised.Mean(23, Metric.ReferralsPer10k) > calm.Mean(23, Metric.ReferralsPer10k) * 1.1);
        Assert.True(scrutinised.Mean(23, Metric.CppPer10k) > calm.Mean(23, Metric.CppPer10k));
    }

    [Fact]
    public void Demand_assessments_are_the_referrals_not_closed_without_action()
    {
        var run = Run(initial: TestPlans.SeftonInitial() with { NoFurtherActionShare = 0.2 });
        for (var m = 0; m < 36; m += 7)
        {
            var referrals = run.Values(m, Metric.ReferralsPer10k);
            var assessments = run.Values(m, Metric.AssessmentsPer10k);
            for (var i = 0; i < referrals.Length; i++) Assert.Equal(referrals[i] * 0.8, assessments[i], 9);
        }
    }

    [Fact]
    public void Demand_referrals_follow_the_population_trend()
    {
        var flat = Run();
        var rising = Run(parameters: With(P.ReferralTrendPerYear, 0.1));
        Assert.True(rising.Mean(35, Metric.ReferralsPer10k) > flat.Mean(35, Metric.ReferralsPer10k) * 1.1);
    }

    [Fact]
    public void Demand_rereferrals_rise_when_practice_quality_falls()
    {
        // Fast downward rates of the grade chain make quality fall; with the re-referral slope the
        // re-referral rate follows. (In the grade model the assumed drivers, such as leadership
        // stability, act as changes from the start, so a steady high churn does not lower quality by
        // itself: docs/model.md#grades.)
        var decline = With(P.DownRateGood, 3).With(P.DownRateRequiresImprovement, 3).With(P.DownRateOutstanding, 3);
        // Quality starts where the scenario puts it (with these rates the record alone would put it at the bottom already).
        var good = TestPlans.SeftonInitial() with { Quality = 0.65 };
        var falling = Run(parameters: decline, initial: good, historyUntil: 0);
        Assert.True(falling.Mean(35, Metric.PracticeQuality) < falling.Mean(0, Metric.PracticeQuality) - 0.05,
            $"quality {falling.Mean(0, Metric.PracticeQuality):0.000} -> {falling.Mean(35, Metric.PracticeQuality):0.000}");
        var withoutSlope = Run(parameters: decline.With(P.RereferralQualitySlope, 0), initial: good, historyUntil: 0);
        Assert.True(falling.Mean(35, Metric.RereferralRate) > withoutSlope.Mean(35, Metric.RereferralRate) + 0.003,
            $"re-referrals {falling.Mean(35, Metric.RereferralRate):0.0000} with the slope, {withoutSlope.Mean(35, Metric.RereferralRate):0.0000} without");
    }

    [Fact]
    public void Demand_permanence_slows_when_capacity_is_short()
    {
        // A demand surge raises caseload pressure; with a capacity elasticity fewer children leave care.
        var surge = new TimelineEvent[] { Ri2016, new ImprovementNoticeEvent(0) };
        var elastic = Run(surge, With(P.PermanenceCapacityElasticity, 2).With(P.ScrutinyReferralUplift, 1));
        var inelastic = Run(surge, With(P.PermanenceCapacityElasticity, 0).With(P.ScrutinyReferralUplift, 1));
        Assert.True(elastic.Mean(35, Metric.ClaPer10k) > inelastic.Mean(35, Metric.ClaPer10k));
    }

    // ------------------------------------------------------------------ workforce

    [Fact]
    public void Workforce_caseload_pressure_raises_turnover()
    {
        var surge = new TimelineEvent[] { Ri2016, new ImprovementNoticeEvent(0) };
        var sensitive = Run(surge, With(P.LeaverPressureEffect, 2));
        var insensitive = Run(surge, With(P.LeaverPressureEffect, 0));
        Assert.True(sensitive.Mean(Metric.TurnoverRate, 24, 35) > insensitive.Mean(Metric.TurnoverRate, 24, 35));
    }

    [Fact]
    public void Workforce_leadership_instability_raises_turnover()
    {
        var stable = Run();
        var churning = Run([Ri2016, .. Enumerable.Range(0, 12).Select(m => new LeaderChangeEvent(m * 3, LeaderRole.Dcs, Interim: true))]);
        Assert.True(churning.Mean(Metric.TurnoverRate, 24, 35) > stable.Mean(Metric.TurnoverRate, 24, 35));
    }

    [Fact]
    public void Workforce_an_inadequate_grade_raises_turnover_and_slows_recruitment()
    {
        var baseline = Run();
        var inadequate = Run(InadequateAtMonth3);
        Assert.True(inadequate.Mean(Metric.TurnoverRate, 18, 35) > baseline.Mean(Metric.TurnoverRate, 18, 35));
        Assert.True(inadequate.Mean(Metric.VacancyRate, 18, 35) > baseline.Mean(Metric.VacancyRate, 18, 35));
    }

    [Fact]
    public void Workforce_new_posts_raise_vacancies_and_agency_then_starters_fill_them()
    {
        var baseline = Run();
        var invested = Run([Ri2016, new InvestmentEvent(1, BudgetGbpMPerYear: 4, Posts: 60)]);
        Assert.True(invested.Mean(4, Metric.VacancyRate) > baseline.Mean(4, Metric.VacancyRate) + 0.1);
        Assert.True(invested.Mean(4, Metric.AgencyFte) > baseline.Mean(4, Metric.AgencyFte) + 20);
        Assert.True(invested.Mean(35, Metric.SwFte) > baseline.Mean(35, Metric.SwFte) + 10);
        Assert.True(invested.Mean(35, Metric.VacancyRate) < invested.Mean(4, Metric.VacancyRate) - 0.05); // slowly filled
        Assert.True(invested.Mean(35, Metric.Caseload) < baseline.Mean(35, Metric.Caseload));
    }

    [Fact]
    public void Workforce_an_academy_intake_adds_permanent_staff()
    {
        var baseline = Run();
        var academy = Run([Ri2016, new InvestmentEvent(0, AcademyIntakePerYear: 15)]);
        Assert.True(academy.Mean(35, Metric.SwFte) > baseline.Mean(35, Metric.SwFte) + 10);
    }

    [Fact]
    public void Workforce_absence_rises_with_pressure()
    {
        var surge = new TimelineEvent[] { Ri2016, new ImprovementNoticeEvent(0) };
        var sensitive = Run(surge, With(P.AbsencePressureEffect, 2).With(P.ScrutinyReferralUplift, 1));
        var insensitive = Run(surge, With(P.AbsencePressureEffect, 0).With(P.ScrutinyReferralUplift, 1));
        Assert.True(sensitive.Mean(30, Metric.AbsenceRate) > insensitive.Mean(30, Metric.AbsenceRate));
    }

    [Fact]
    public void Workforce_agency_premium_raises_cost_and_an_agency_cap_lowers_agency()
    {
        var baseline = Run();
        var dearer = Run(parameters: With(P.AgencyCostMultiplier, 3.5));
        Assert.True(dearer.Mean(12, Metric.Cost) > baseline.Mean(12, Metric.Cost));
        var capped = Run(parameters: With(P.AgencyRateCap, 0.1));
        Assert.True(capped.Mean(24, Metric.AgencyRate) < baseline.Mean(24, Metric.AgencyRate));
        Assert.All(capped.Values(24, Metric.AgencyRate), rate => Assert.True(rate <= 0.1 + 0.02));
    }

    [Fact]
    public void Workforce_a_lower_caseload_target_brings_in_agency_staff()
    {
        var baseline = Run();
        var capped = Run(parameters: With(P.CaseloadTarget, 12));
        Assert.True(capped.Mean(24, Metric.AgencyFte) > baseline.Mean(24, Metric.AgencyFte));
        Assert.True(capped.Mean(24, Metric.Caseload) < baseline.Mean(24, Metric.Caseload));
    }

    // ------------------------------------------------------------------ leadership

    [Fact]
    public void Leadership_churn_is_higher_under_an_inadequate_grade()
    {
        var baseline = Run(historyUntil: 0, horizon: 48);
        var inadequate = Run(InadequateAtMonth3, historyUntil: 0, horizon: 48);
        Assert.True(inadequate.Mean(47, Metric.DcsChanges) > baseline.Mean(47, Metric.DcsChanges));
    }

    [Fact]
    public void Leadership_retention_lowers_director_changes_and_raises_stability()
    {
        var baseline = Run(historyUntil: 0, horizon: 48);
        var retained = Run(parameters: With(P.DcsRetention, 0.3), historyUntil: 0, horizon: 48);
        Assert.True(retained.Mean(47, Metric.DcsChanges) < baseline.Mean(47, Metric.DcsChanges));
        Assert.True(retained.Mean(Metric.LeadershipStability, 24, 47) > baseline.Mean(Metric.LeadershipStability, 24, 47));
    }

    [Fact]
    public void Leadership_a_new_leader_needs_months_to_take_effect()
    {
        var run = Run([Ri2016, new LeaderChangeEvent(6, LeaderRole.Dcs)]);
        var justAfter = run.Mean(6, Metric.LeadershipStability);
        Assert.True(run.Mean(5, Metric.LeadershipStability) > justAfter + 0.2);
        Assert.True(run.Mean(12, Metric.LeadershipStability) > justAfter + 0.2);
        Assert.True(run.Mean(24, Metric.LeadershipStability) > run.Mean(12, Metric.LeadershipStability));
    }

    // ------------------------------------------------------------------ quality and culture

    [Fact]
    public void Quality_stable_leadership_raises_quality()
    {
        var churning = Run(parameters: With(P.DcsRetention, 4), historyUntil: 0);
        var stable = Run(parameters: With(P.DcsRetention, 0.2), historyUntil: 0);
        Assert.True(stable.Mean(35, Metric.PracticeQuality) > churning.Mean(35, Metric.PracticeQuality));
    }

    [Fact]
    public void Quality_external_support_raises_quality()
    {
        var unsupported = Run();
        var supported = Run([Ri2016, new ImprovementNoticeEvent(0)], With(P.ScrutinyReferralUplift, 0).With(P.ScrutinyPlanUplift, 0));
        Assert.True(supported.Mean(35, Metric.PracticeQuality) > unsupported.Mean(35, Metric.PracticeQuality));
    }

    [Fact]
    public void Quality_agency_reliance_and_overload_lower_quality()
    {
        var baseline = Run();
        // New posts filled by agency staff (the cover is full) raise the agency rate; a negative weight
        // (drive β (agency rate - 17%)) then slows improvement and speeds decline.
        var overloaded = Run([Ri2016, new InvestmentEvent(0, Posts: 80)], With(P.AgencyVacancyCover, 1.0).With(P.QualityAgencyWeight, -4));
        var overloadedNoAgencyEffect = Run([Ri2016, new InvestmentEvent(0, Posts: 80)], With(P.AgencyVacancyCover, 1.0).With(P.QualityAgencyWeight, 0));
        Assert.True(overloaded.Mean(35, Metric.PracticeQuality) < overloadedNoAgencyEffect.Mean(35, Metric.PracticeQuality),
            $"quality {overloaded.Mean(35, Metric.PracticeQuality):0.000} with the agency weight, {overloadedNoAgencyEffect.Mean(35, Metric.PracticeQuality):0.000} without");
        var surge = Run([Ri2016, new ImprovementNoticeEvent(0)], With(P.AdviserSupport, 0).With(P.QualityPressureWeight, 3));
        var surgeNoPressureEffect = Run([Ri2016, new ImprovementNoticeEvent(0)], With(P.AdviserSupport, 0).With(P.QualityPressureWeight, 0));
        Assert.True(surge.Mean(35, Metric.PracticeQuality) < surgeNoPressureEffect.Mean(35, Metric.PracticeQuality),
            $"quality {surge.Mean(35, Metric.PracticeQuality):0.000} with the pressure weight, {surgeNoPressureEffect.Mean(35, Metric.PracticeQuality):0.000} without");
        Assert.True(baseline.Mean(35, Metric.PracticeQuality) > 0);
    }

    [Fact]
    public void Culture_decays_only_under_stable_leadership()
    {
        var initial = TestPlans.SeftonInitial() with { Culture = 0.8 };
        var stable = Run(initial: initial, parameters: With(P.DcsRetention, 0.1), historyUntil: 0);
        var unstable = Run(initial: initial, parameters: With(P.CultureStabilityThreshold, 0.99), historyUntil: 0);
        Assert.True(stable.Mean(35, Metric.Culture) < 0.7);
        Assert.True(unstable.Mean(35, Metric.Culture) >= 0.8 - 1e-9);
    }

    [Fact]
    public void Culture_slows_improvement()
    {
        var supported = new TimelineEvent[] { Ri2016, new ImprovementNoticeEvent(0) };
        var clean = Run(supported, initial: TestPlans.SeftonInitial() with { Culture = 0 });
        var entrenched = Run(supported, initial: TestPlans.SeftonInitial() with { Culture = 0.9 });
        Assert.True(clean.Mean(35, Metric.PracticeQuality) > entrenched.Mean(35, Metric.PracticeQuality));
    }

    // ------------------------------------------------------------------ Ofsted

    [Fact]
    public void Ofsted_grades_follow_quality()
    {
        var low = Run(initial: TestPlans.SeftonInitial() with { Quality = 0.3 }, historyUntil: 0, horizon: 60);
        var high = Run(initial: TestPlans.SeftonInitial() with { Quality = 0.7 }, historyUntil: 0, horizon: 60);
        Assert.True(high.Mean(59, Metric.GradePGood) + high.Mean(59, Metric.GradePOutstanding) > low.Mean(59, Metric.GradePGood) + low.Mean(59, Metric.GradePOutstanding) + 0.3);
        Assert.True(low.Mean(59, Metric.GradePInadequate) > high.Mean(59, Metric.GradePInadequate));
        Assert.True(low.Mean(0, Metric.JudgedPInadequate) > 0.5 && high.Mean(0, Metric.JudgedPGood) > 0.5);
    }

    [Fact]
    public void Ofsted_an_authority_overdue_at_the_start_is_inspected_at_the_observed_rate_not_all_at_once()
    {
        // Graded good eight years before the start: the next inspection (37-63 months after a good
        // grade) is long overdue, so each month brings it with probability 1 - e^-r, r = 0.21.
        var overdue = new TimelineEvent[] { new InspectionEvent(-100, Grade.Good, PublishedMonth: -98) };
        var plan = TestPlans.Single(TestPlans.Authority(events: overdue), replicas: 2000, horizon: 24);
        var run = Simulate.Run(plan);
        var months = run.MonthsToNextInspection[0];
        var rate = P.OverdueInspectionRate.Default;
        Assert.InRange(months.Count(m => m == 0) / 2000.0, 1 - Math.Exp(-rate) - 0.03, 1 - Math.Exp(-rate) + 0.03);
        Assert.InRange(months.Count(m => m is >= 0 and < 12) / 2000.0, 1 - Math.Exp(-12 * rate) - 0.03, 1 - Math.Exp(-12 * rate) + 0.03);
    }

    [Fact]
    public void Ofsted_inadequate_authorities_get_monitoring_visits_and_others_do_not()
    {
        var baseline = Run(historyUntil: 0, horizon: 30);
        var inadequate = Run(InadequateAtMonth3, historyUntil: 6, horizon: 30);
        var visits = Enumerable.Range(6, 24).Sum(m => inadequate.Mean(m, Metric.MonitoringVisit));
        Assert.InRange(visits, 3, 6); // first at 6 months after publication, then every 5
        Assert.Equal(0, Enumerable.Range(0, 30).Sum(m => baseline.Mean(m, Metric.MonitoringVisit) * (baseline.Mean(m, Metric.GradePInadequate) == 0 ? 1 : 0)));
    }

    [Fact]
    public void Ofsted_a_forced_result_is_published_after_the_lag_and_recorded()
    {
        var run = Run(InadequateAtMonth3);
        Assert.Equal(0, run.Mean(4, Metric.GradePInadequate));
        Assert.Equal(1, run.Mean(5, Metric.GradePInadequate));
        Assert.All(run.Values(3, Metric.PracticeQuality), q => Assert.True(q < P.CutInadequate.Default));
        // No rebound to the old level: quality recovers from the corrected level, not towards the pre-inspection one.
        Assert.True(run.Mean(6, Metric.PracticeQuality) < run.Mean(2, Metric.PracticeQuality) - 0.05);
    }

    [Fact]
    public void Ofsted_a_forced_monitoring_finding_moves_quality_to_agree_with_it()
    {
        // Visits at months 11 and 16 (history until 18): unforced, forced insufficient, forced adequate.
        TimelineEvent[] Visits(bool? adequate) => [.. InadequateAtMonth3, new MonitoringVisitEvent(11, adequate), new MonitoringVisitEvent(16, adequate)];
        var free = Run(Visits(null), historyUntil: 18, horizon: 24);
        var slow = Run(Visits(false), historyUntil: 18, horizon: 24);
        var fast = Run(Visits(true), historyUntil: 18, horizon: 24);
        Assert.Equal(free.Mean(10, Metric.PracticeQuality), slow.Mean(10, Metric.PracticeQuality)); // nothing moves before the visit
        Assert.True(slow.Mean(17, Metric.PracticeQuality) < free.Mean(17, Metric.PracticeQuality) - 0.01);
        Assert.True(fast.Mean(17, Metric.PracticeQuality) > free.Mean(17, Metric.PracticeQuality) + 0.01);
        Assert.Equal(0, slow.Mean(16, Metric.MonitoringAdequate));
        Assert.Equal(slow.Mean(16, Metric.MonitoringVisit), fast.Mean(16, Metric.MonitoringAdequate));
        // The anchor moved too: the gap persists after the history window.
        Assert.True(slow.Mean(23, Metric.PracticeQuality) < free.Mean(23, Metric.PracticeQuality) - 0.01);
    }

    [Fact]
    public void Observed_figures_set_every_replica_and_the_projection_continues_from_them()
    {
        // As the censuses fall: demand at 31 March (month 5), workforce at 30 September (month 11).
        TimelineEvent[] events =
        [
            Ri2016,
            new ObservedEvent(5, Demand: new DemandObservation(ReferralsPer10k: 800, CinPer10k: 520, CppPer10k: 65, ClaPer10k: 120)),
            new ObservedEvent(11, new WorkforceObservation(SwFte: 180, AgencyFte: 90, VacancyFte: 30)),
        ];
        var free = Run(historyUntil: 12, horizon: 24);
        var observed = Run(events, historyUntil: 12, horizon: 24);

        Assert.Equal(free.Mean(4, Metric.ReferralsPer10k), observed.Mean(4, Metric.ReferralsPer10k)); // nothing moves before
        Assert.All(observed.Values(5, Metric.ReferralsPer10k), v => Assert.Equal(800, v, 6));
        Assert.All(observed.Values(5, Metric.CppPer10k), v => Assert.Equal(65, v, 6));
        Assert.All(observed.Values(5, Metric.ClaPer10k), v => Assert.Equal(120, v, 6));
        Assert.All(observed.Values(5, Metric.CinPer10k), v => Assert.Equal(520, v, 6));
        Assert.All(observed.Values(11, Metric.SwFte), v => Assert.Equal(180, v, 9));
        Assert.All(observed.Values(11, Metric.AgencyFte), v => Assert.Equal(90, v, 9));
        Assert.All(observed.Values(11, Metric.VacancyRate), v => Assert.Equal(30.0 / 210, v, 9));

        // The projection carries on from the observed state rather than snapping back: agency use
        // the drivers do not explain fades only at its AR(1) persistence, the referral level at its.
        Assert.InRange(observed.Mean(17, Metric.AgencyFte), 80, 110);
        Assert.InRange(observed.Mean(17, Metric.SwFte), 170, 190);
        Assert.True(observed.Mean(17, Metric.ReferralsPer10k) > free.Mean(17, Metric.ReferralsPer10k) + 150);
        Assert.True(observed.Mean(17, Metric.ReferralsPer10k) < 800); // and fades
    }

    // ------------------------------------------------------------------ intervention

    [Fact]
    public void Intervention_an_inadequate_grade_across_the_board_brings_a_direction_and_commissioner()
    {
        var run = Run(InadequateAtMonth3);
        Assert.Equal(1, run.Mean(6, Metric.UnderDirection));
        Assert.Equal(1, run.Mean(6, Metric.Commissioner));
        var partial = Run([Ri2016, new InspectionEvent(3, Grade.Inadequate, Grade.Inadequate, Grade.RequiresImprovement, Grade.RequiresImprovement)]);
        Assert.Equal(1, partial.Mean(6, Metric.UnderDirection));
        Assert.Equal(0, partial.Mean(6, Metric.Commissioner));
        var reviewPolicy = Run([Ri2016, new InspectionEvent(3, Grade.Inadequate, Grade.Inadequate, Grade.RequiresImprovement, Grade.RequiresImprovement)], With(P.CommissionerTrigger, 1));
        Assert.Equal(1, reviewPolicy.Mean(6, Metric.Commissioner));
    }

    [Fact]
    public void Intervention_low_capacity_leads_to_removal_and_high_capacity_to_oversight()
    {
        // The review concludes after the history window so the commissioner decides.
        var exact = With(P.CapacityNoise, 0);
        var weak = Run(InadequateAtMonth3, exact.With(P.CapacityKeepThreshold, 1).With(P.CapacityPartnerThreshold, 1), historyUntil: 6, horizon: 30);
        var strong = Run(InadequateAtMonth3, exact.With(P.CapacityKeepThreshold, 0.01).With(P.CapacityPartnerThreshold, 0.0), historyUntil: 6, horizon: 30);
        Assert.Equal(1, weak.Mean(29, Metric.Removed));
        Assert.Equal(0, strong.Mean(29, Metric.Removed));
        Assert.True(strong.Mean(12, Metric.Commissioner) > 0.99);
    }

    [Fact]
    public void Intervention_removal_disrupts_then_resets_leadership()
    {
        var kept = Run([.. InadequateAtMonth3, new CommissionerReviewEvent(9, Recommendation.KeepWithOversight)]);
        var removed = Run([.. InadequateAtMonth3, new CommissionerReviewEvent(9, Recommendation.RemoveToTrust)]);
        var transfer = 9 + (int)P.RemovalTransitionMonths.Default;
        Assert.Equal(0, removed.Mean(transfer - 1, Metric.Removed));
        Assert.Equal(1, removed.Mean(transfer, Metric.Removed));
        Assert.True(removed.Mean(transfer, Metric.DcsChanges) > kept.Mean(transfer, Metric.DcsChanges));
        Assert.True(removed.Mean(transfer, Metric.PracticeQuality) < kept.Mean(transfer, Metric.PracticeQuality));
        Assert.True(removed.Mean(transfer, Metric.Cost) > kept.Mean(transfer, Metric.Cost) + P.TrustSetupCost.Default / 2);
    }

    [Fact]
    public void Intervention_the_direction_is_lifted_when_the_grade_improves()
    {
        var run = Run([.. InadequateAtMonth3, new InspectionEvent(20, Grade.RequiresImprovement, PublishedMonth: 22)]);
        Assert.Equal(1, run.Mean(21, Metric.UnderDirection));
        Assert.Equal(0, run.Mean(22, Metric.UnderDirection));
        Assert.Equal(0, run.Mean(22, Metric.Commissioner));
    }

    [Fact]
    public void Intervention_persistent_requires_improvement_brings_support_under_the_review_policy()
    {
        var events = new TimelineEvent[] { Ri2016, new InspectionEvent(2, Grade.RequiresImprovement, PublishedMonth: 3) };
        var current = Run(events);
        var review = Run(events, With(P.PersistentRiIntervention, 1));
        Assert.Equal(0, current.Mean(12, Metric.Support));
        Assert.True(review.Mean(12, Metric.Support) > 0.2);
    }

    // ------------------------------------------------------------------ finance

    [Fact]
    public void Finance_investment_raises_the_budget_and_overspend_raises_leader_churn()
    {
        // A dearer agency market overspends the budget; the political pressure raises churn.
        var sensitive = Run(parameters: With(P.AgencyCostMultiplier, 5).With(P.PoliticalPressureMultiplier, 5), historyUntil: 0, horizon: 48);
        var insensitive = Run(parameters: With(P.AgencyCostMultiplier, 5).With(P.PoliticalPressureMultiplier, 0), historyUntil: 0, horizon: 48);
        Assert.True(sensitive.Mean(47, Metric.DcsChanges) > insensitive.Mean(47, Metric.DcsChanges));
        var funded = Run([Ri2016, new InvestmentEvent(0, BudgetGbpMPerYear: 50)], With(P.AgencyCostMultiplier, 5).With(P.PoliticalPressureMultiplier, 5), historyUntil: 0, horizon: 48);
        Assert.True(funded.Mean(47, Metric.DcsChanges) < sensitive.Mean(47, Metric.DcsChanges));
    }
}
