using CareSim.Model.Parameters;
using CareSim.Model.Plan;
using CareSim.Model.Time;

namespace CareSim.Model.Tests;

/// <summary>Plans built in code, so model tests do not depend on the scenario reader.</summary>
public static class TestPlans
{
    /// <summary>Sefton as it stood in spring 2021 (brief section 2; data/dfe), graded RI in 2016.</summary>
    public static AuthorityInitialState SeftonInitial() => new()
    {
        Population = 52920,
        ReferralsPer10k = 483,
        RereferralShare = 0.172,
        CinStartShare = 0.58,
        CinPer10k = 409,
        CppPer10k = 47.6,
        ClaPer10k = 116,
        CppStartsPer10k = 56.5,
        ClaStartsPer10k = 34,
        ClaCeasedPer10k = 25,
        SocialWorkerFte = 155.2,
        AgencyFte = 38.2,
        VacancyFte = 19,
        TurnoverRate = 0.101,
        Caseload = 21.3,
        CaseHolderShare = 0.54,
        AbsenceRate = 0.057,
    };

    public static AuthorityPlan Authority(
        string code = "E08000014",
        AuthorityInitialState? initial = null,
        IReadOnlyList<TimelineEvent>? events = null,
        ModelParameters? parameters = null,
        int commissioner = 0,
        int market = 0) => new()
        {
            Code = code,
            Name = code,
            Region = "North West",
            Initial = initial ?? SeftonInitial(),
            Parameters = parameters ?? ModelParameters.Defaults,
            Events = events ?? [new InspectionEvent(-59, Grade.RequiresImprovement, PublishedMonth: -58)],
            CommissionerIndex = commissioner,
            LabourMarketIndex = market,
        };

    public static SimulationPlan Single(
        AuthorityPlan? authority = null,
        int replicas = 64,
        int horizon = 36,
        ulong seed = 7,
        int historyUntil = 0,
        ModelParameters? parameters = null) => new()
        {
            Name = "test",
            Start = new SimMonth(2021, 4),
            HorizonMonths = horizon,
            Replicas = replicas,
            Seed = seed,
            Authorities = [authority ?? Authority(parameters: parameters)],
            Commissioners = [new CommissionerPlan("c", [0])],
            LabourMarkets = [new LabourMarketPlan("m", [0])],
            HistoryUntilMonth = historyUntil,
            Parameters = parameters ?? ModelParameters.Defaults,
        };

    /// <summary>
    /// Several authorities in one labour market under one regional commissioner (codes and
    /// sizes loosely after the Liverpool City Region).
    /// </summary>
    public static SimulationPlan Region(int authorities = 3, int replicas = 32, int horizon = 24, ulong seed = 11)
    {
        var list = new List<AuthorityPlan>();
        for (var a = 0; a < authorities; a++)
        {
            var scale = 1 + 0.3 * a;
            var initial = SeftonInitial() with
            {
                Population = 52920 * scale,
                SocialWorkerFte = 155.2 * scale,
                AgencyFte = 38.2 * scale,
                VacancyFte = 19 * scale + 10 * a,
            };
            list.Add(Authority(code: $"E0800001{a}", initial: initial, commissioner: 0, market: 0));
        }
        return new SimulationPlan
        {
            Name = "region",
            Start = new SimMonth(2021, 4),
            HorizonMonths = horizon,
            Replicas = replicas,
            Seed = seed,
            Authorities = list,
            Commissioners = [new CommissionerPlan("regional", Enumerable.Range(0, authorities).ToList())],
            LabourMarkets = [new LabourMarketPlan("region", Enumerable.Range(0, authorities).ToList())],
            Parameters = ModelParameters.Defaults,
        };
    }
}
