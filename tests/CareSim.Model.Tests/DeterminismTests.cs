using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using CareSim.Model.Randomness;

namespace CareSim.Model.Tests;

public class DeterminismTests
{
    [Fact]
    public void A_replica_gives_identical_results_in_blocks_of_1_7_and_64()
    {
        var plan = TestPlans.Region(authorities: 3, replicas: 64, horizon: 30);
        var reference = Simulate.Run(plan, blockSize: 64);
        foreach (var blockSize in new[] { 1, 7 })
        {
            var other = Simulate.Run(plan, blockSize);
            for (var month = 0; month < plan.HorizonMonths; month++)
            for (var a = 0; a < 3; a++)
            foreach (var metric in Enum.GetValues<Metric>())
                Assert.Equal(reference.Values(month, metric, a), other.Values(month, metric, a));
            Assert.Equal(reference.MonthsToGood[1], other.MonthsToGood[1]);
        }
    }

    [Fact]
    public void A_replica_does_not_depend_on_how_many_replicas_are_run()
    {
        var small = Simulate.Run(TestPlans.Single(replicas: 5, horizon: 24));
        var large = Simulate.Run(TestPlans.Single(replicas: 40, horizon: 24));
        for (var month = 0; month < 24; month++)
            Assert.Equal(small.Values(month, Metric.PracticeQuality), large.Values(month, Metric.PracticeQuality).Take(5));
    }

    [Fact]
    public void A_different_seed_gives_different_numbers()
    {
        var a = Simulate.Run(TestPlans.Single(replicas: 8, horizon: 12, seed: 1));
        var b = Simulate.Run(TestPlans.Single(replicas: 8, horizon: 12, seed: 2));
        Assert.NotEqual(a.Values(11, Metric.ReferralsPer10k), b.Values(11, Metric.ReferralsPer10k));
    }

    [Fact]
    public void Adding_an_authority_does_not_change_another_authoritys_draws()
    {
        // Authorities draw from streams keyed by their own code, so adding one leaves the others'
        // random numbers unchanged (their outcomes still interact through the market).
        var key = CounterRng.StreamKey(3, CounterRng.AuthorityKey("E08000014"), RandomStream.Demand, 5);
        var again = CounterRng.StreamKey(3, CounterRng.AuthorityKey("E08000014"), RandomStream.Demand, 5);
        var other = CounterRng.StreamKey(3, CounterRng.AuthorityKey("E08000011"), RandomStream.Demand, 5);
        Assert.Equal(key, again);
        Assert.NotEqual(key, other);
    }
}

public class PlanJsonTests
{
    [Fact]
    public void A_plan_round_trips_through_json_and_runs_identically()
    {
        var plan = TestPlans.Region(authorities: 2, replicas: 10, horizon: 12) with { HistoryUntilMonth = 3, OutcomesFromMonth = 2 };
        var withEvents = plan with
        {
            Authorities = plan.Authorities.Select(a => a with
            {
                Events = [.. a.Events, new InvestmentEvent(2, 1.5, 10, 3), new LeaderChangeEvent(4, LeaderRole.ChiefExecutive, Interim: true),
                    new CommissionerReviewEvent(5, Recommendation.Partner), new MonitoringVisitEvent(6, true)],
                Parameters = a.Parameters.With(Parameters.P.CultureGrowth, 0.0412345678901),
            }).ToList(),
        };
        var json = PlanJson.Serialize(withEvents);
        var back = PlanJson.Deserialize(json);
        Assert.Equal(json, PlanJson.Serialize(back));
        Assert.Equal(0.0412345678901, back.Authorities[1].Parameters[Parameters.P.CultureGrowth]);
        Assert.IsType<CommissionerReviewEvent>(back.Authorities[0].Events[^2]);
        var a = Simulate.Run(withEvents);
        var b = Simulate.Run(back);
        for (var m = 0; m < 12; m++) Assert.Equal(a.Values(m, Outputs.Metric.PracticeQuality, 1), b.Values(m, Outputs.Metric.PracticeQuality, 1));
    }
}
