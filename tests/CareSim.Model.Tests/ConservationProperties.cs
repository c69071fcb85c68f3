using CareSim.Model.Authority;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using CareSim.Model.Workforce;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CareSim.Model.Tests;

/// <summary>Properties over random authorities: children are conserved and no stock goes negative.</summary>
public class ConservationProperties
{
    /// <summary>Random but valid starting states, from tiny to very large authorities, calm to overloaded.</summary>
    private static Arbitrary<AuthorityInitialState> Authorities() =>
        (from population in Gen.Choose(2_000, 300_000)
         from referrals in Gen.Choose(100, 2_500)
         from cpp in Gen.Choose(5, 200)
         from cla in Gen.Choose(10, 300)
         from cinExtra in Gen.Choose(0, 800)
         from sw in Gen.Choose(5, 600)
         from agencyPct in Gen.Choose(0, 80)
         from vacancyPct in Gen.Choose(0, 60)
         from caseload in Gen.Choose(5, 40)
         from turnoverPct in Gen.Choose(1, 45)
         select new AuthorityInitialState
         {
             Population = population,
             ReferralsPer10k = referrals,
             CppPer10k = cpp,
             ClaPer10k = cla,
             CinPer10k = cpp + cla + cinExtra,
             SocialWorkerFte = sw,
             AgencyFte = sw * agencyPct / 100.0,
             VacancyFte = sw * vacancyPct / 100.0,
             Caseload = caseload,
             TurnoverRate = turnoverPct / 100.0,
         }).ToArbitrary();

    [Property(MaxTest = 100, Replay = "(20221109,20230815)")]
    public Property Children_are_neither_created_nor_lost_except_through_the_modelled_flows() =>
        Prop.ForAll(Authorities(), initial =>
        {
            var plan = TestPlans.Single(TestPlans.Authority(initial: initial), replicas: 3, horizon: 36);
            var authority = new AuthorityBlock(plan, 0, new BlockRange(0, 3));
            var workforce = new WorkforceBlock(plan.Authorities[0], plan.Seed, new BlockRange(0, 3), authority.InitialWorkforceDrivers());
            authority.CompleteSeeding(workforce.InitialReport);
            for (var month = 0; month < plan.HorizonMonths; month++)
            {
                var before = Enumerable.Range(0, 3).Select(authority.ChildrenInSystem).ToArray();
                var report = workforce.Step(authority.BeginMonth(new AuthorityMonthInput(month, null, null)));
                authority.EndMonth(month, report);
                for (var i = 0; i < 3; i++)
                {
                    var expected = before[i] + authority.LastEntries(i) - authority.LastExits(i);
                    if (Math.Abs(authority.ChildrenInSystem(i) - expected) > 1e-9 * Math.Max(1, expected)) return false;
                }
            }
            return true;
        });

    [Property(MaxTest = 100, Replay = "(20221109,20230815)")]
    public Property No_workforce_collapses_even_under_an_agency_cap() =>
        Prop.ForAll(Authorities(), initial =>
        {
            var capped = Parameters.ModelParameters.Defaults.With(Parameters.P.AgencyRateCap, 0.05);
            var plan = TestPlans.Single(TestPlans.Authority(initial: initial, parameters: capped), replicas: 20, horizon: 60, parameters: capped);
            var run = Simulate.Run(plan);
            // The vicious cycle may shrink a workforce a lot in bad replicas; it must not run to zero.
            return run.Values(59, Metric.SwFte).All(fte => fte > 0.1 * initial.SocialWorkerFte);
        });

    [Property(MaxTest = 100, Replay = "(20221109,20230815)")]
    public Property Stocks_never_go_negative_and_rates_stay_in_range() =>
        Prop.ForAll(Authorities(), initial =>
        {
            var plan = TestPlans.Single(TestPlans.Authority(initial: initial), replicas: 4, horizon: 48);
            var run = Simulate.Run(plan);
            for (var month = 0; month < plan.HorizonMonths; month++)
            {
                foreach (var metric in new[] { Metric.SwFte, Metric.AgencyFte, Metric.CinPer10k, Metric.CppPer10k, Metric.ClaPer10k, Metric.Caseload, Metric.ReferralsPer10k, Metric.Establishment, Metric.Cost })
                {
                    if (run.Values(month, metric).Any(v => v < 0 || double.IsNaN(v))) return false;
                }
                foreach (var metric in new[] { Metric.AgencyRate, Metric.VacancyRate, Metric.RereferralRate, Metric.PracticeQuality, Metric.Culture, Metric.Morale, Metric.LeadershipStability, Metric.Support, Metric.JudgedPGood, Metric.AbsenceRate })
                {
                    if (run.Values(month, metric).Any(v => v is < 0 or > 1 || double.IsNaN(v))) return false;
                }
            }
            return true;
        });
}
