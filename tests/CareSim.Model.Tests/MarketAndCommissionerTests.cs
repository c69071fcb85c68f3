using CareSim.Model.Commissioners;
using CareSim.Model.Markets;
using CareSim.Model.Outputs;
using CareSim.Model.Parameters;
using CareSim.Model.Plan;

namespace CareSim.Model.Tests;

public class MarketAndCommissionerTests
{
    private static MarketSubmission Submission(double leaversToOther, double vacancies, double request, double establishment = 100, double toAgency = 0)
    {
        var s = new MarketSubmission(1);
        s.LeaversToOtherAuthority[0] = leaversToOther;
        s.Vacancies[0] = vacancies;
        s.Attractiveness[0] = 1;
        s.AgencyRequest[0] = request;
        s.Establishment[0] = establishment;
        s.LeaversToAgency[0] = toAgency;
        return s;
    }

    [Fact]
    public void Moves_within_a_market_balance_and_go_where_the_vacancies_are()
    {
        var plan = TestPlans.Region(authorities: 3, replicas: 1);
        var market = new LabourMarketBlock(plan, 0, new BlockRange(0, 1));
        var allocations = market.Clear([Submission(4, 10, 0), Submission(2, 30, 0), Submission(0, 0, 0)]);
        var arrivals = allocations.Select(a => a.Arrivals[0]).ToArray();
        var share = P.WithinMarketMoveShare.Default;
        Assert.Equal(6 * share, arrivals.Sum(), 12);
        Assert.Equal(0, arrivals[2]); // no vacancies, no arrivals
        Assert.Equal(4 * share + 0, arrivals[1], 12); // all of authority 0's movers go to 1 (2 has no vacancies)
        Assert.Equal(2 * share, arrivals[0], 12); // all of authority 1's movers go to 0
        Assert.Equal(0, market.Accounts.MovesLeavingMarket[0], 12);
    }

    [Fact]
    public void A_single_authority_market_keeps_no_movers_and_shares_agency_by_supply()
    {
        var plan = TestPlans.Single(replicas: 1);
        var market = new LabourMarketBlock(plan, 0, new BlockRange(0, 1));
        var allocation = market.Clear([Submission(5, 10, request: 20, establishment: 100, toAgency: 1)])[0];
        Assert.Equal(0, allocation.Arrivals[0]);
        var supply = P.AgencySupplyShare.Default * 100 + 1;
        Assert.Equal(supply / 20, allocation.AgencyAvailability[0], 12);
    }

    [Fact]
    public void Staff_moves_between_simulated_authorities_balance_over_a_run()
    {
        // Everything the market places in month t arrives in month t+1: total arrivals over the
        // run equal the moves placed, month by month.
        var plan = TestPlans.Region(authorities: 4, replicas: 8, horizon: 24);
        var blocks = Enumerable.Range(0, 4).Select(a => new Authority.AuthorityBlock(plan, a, new BlockRange(0, 8))).ToArray();
        var workforces = blocks.Select((b, a) => new Workforce.WorkforceBlock(plan.Authorities[a], plan.Seed, new BlockRange(0, 8), b.InitialWorkforceDrivers())).ToArray();
        for (var a = 0; a < 4; a++) blocks[a].CompleteSeeding(workforces[a].InitialReport);
        var market = new LabourMarketBlock(plan, 0, new BlockRange(0, 8));
        IReadOnlyList<MarketAllocation>? allocations = null;
        var placedLastMonth = new double[8];
        var totalPlaced = 0.0;
        for (var month = 0; month < plan.HorizonMonths; month++)
        {
            var outputs = new Authority.AuthorityMonthOutput[4];
            var arrivedThisMonth = new double[8];
            for (var a = 0; a < 4; a++)
            {
                var drivers = blocks[a].BeginMonth(new Authority.AuthorityMonthInput(month, allocations?[a], null));
                for (var i = 0; i < 8; i++) arrivedThisMonth[i] += drivers.MarketArrivals[i];
                outputs[a] = blocks[a].EndMonth(month, workforces[a].Step(drivers));
            }
            for (var i = 0; i < 8; i++) Assert.Equal(placedLastMonth[i], arrivedThisMonth[i], 9);
            allocations = market.Clear(outputs.Select(o => o.Market).ToList());
            for (var i = 0; i < 8; i++)
            {
                placedLastMonth[i] = market.Accounts.MovesPlaced[i];
                totalPlaced += placedLastMonth[i];
                Assert.Equal(market.Accounts.MovesIntoMarket[i], market.Accounts.MovesPlaced[i] + market.Accounts.MovesLeavingMarket[i], 9);
            }
        }
        Assert.True(totalPlaced > 1, "some staff should have moved between the authorities");
    }

    [Fact]
    public void A_commissioners_attention_thins_when_shared()
    {
        var plan = TestPlans.Region(authorities: 3, replicas: 1);
        var commissioner = new CommissionerBlock(plan, 0, new BlockRange(0, 1));
        CommissionerReport Report(bool active)
        {
            var r = new CommissionerReport(1);
            r.Active[0] = active ? 1 : 0;
            r.Capacity[0] = 0.5;
            return r;
        }
        var alone = commissioner.Decide(0, [Report(true), Report(false), Report(false)]);
        var oneSupport = alone[0].Support[0];
        Assert.Equal(P.CommissionerSupport.Default, oneSupport, 12);
        var shared = commissioner.Decide(1, [Report(true), Report(true), Report(true)]);
        Assert.Equal(P.CommissionerSupport.Default * Math.Pow(3, -P.CommissionerAttentionExponent.Default), shared[0].Support[0], 12);
        Assert.Equal(P.CommissionerCost.Default / 3, shared[1].Cost[0], 12);
    }

    [Fact]
    public void A_regional_commissioner_over_one_authority_behaves_as_an_ordinary_commissioner()
    {
        var events = new TimelineEvent[]
        {
            new InspectionEvent(-59, Grade.RequiresImprovement, PublishedMonth: -58),
            new InspectionEvent(3, Grade.Inadequate, Grade.Inadequate, Grade.Inadequate, Grade.Inadequate, PublishedMonth: 5),
        };
        var authority = TestPlans.Authority(events: events);
        var ordinary = TestPlans.Single(authority, replicas: 50, horizon: 30, historyUntil: 6) with
        {
            Commissioners = [new CommissionerPlan("commissioner-E08000014", [0])],
        };
        var regional = ordinary with { Commissioners = [new CommissionerPlan("north-west-regional", [0])] };
        var a = Simulate.Run(ordinary);
        var b = Simulate.Run(regional);
        for (var month = 0; month < 30; month++)
        {
            Assert.Equal(a.Values(month, Metric.PracticeQuality), b.Values(month, Metric.PracticeQuality));
            Assert.Equal(a.Values(month, Metric.Removed), b.Values(month, Metric.Removed));
        }
    }
}
