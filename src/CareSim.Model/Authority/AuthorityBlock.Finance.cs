using CareSim.Model.Parameters;
using CareSim.Model.Plan;
using CareSim.Model.Time;
using CareSim.Model.Workforce;

namespace CareSim.Model.Authority;

// Finance: the workforce budget, investment, overspend and the political pressure it brings. docs/model.md#finance
public sealed partial class AuthorityBlock
{
    private double _budget;
    /// <summary>The workforce budget at the start (after history), the base of budget and cost shares.</summary>
    private double _startingBudget;
    private double _postsAddedThisMonth;
    private double _extraAcademyIntake;
    private double[][] _overspend12 = null!;
    private double[] _overspendLast12 = null!; // the 12-month sums (scratch)
    private double[] _politicalPressure = null!;
    private double[] _cumulativeCost = null!;
    private double[] _monthCost = null!;
    private double[] _oneOffCost = null!;
    private readonly List<ProgrammeEvent> _programmes = [];
    private double _programmeCost;
    private double _programmeSupport;

    /// <summary>The budget defaults to the starting workforce cost plus headroom.</summary>
    private void AllocateFinance()
    {
        var init = _authority.Initial;
        var p = _p;
        var startingCost = (init.SocialWorkerFte + init.AgencyFte * p[P.AgencyCostMultiplier]) * p[P.PermanentCostPerFte];
        _budget = init.BudgetGbpM ?? startingCost * (1 + p[P.BudgetHeadroom]);
        _overspend12 = new double[12][];
        for (var k = 0; k < 12; k++) _overspend12[k] = BlockMemory.Array<double>(Count);
        _overspendLast12 = BlockMemory.Array<double>(Count);
        _politicalPressure = BlockMemory.Array<double>(Count);
        _cumulativeCost = BlockMemory.Array<double>(Count);
        _monthCost = BlockMemory.Array<double>(Count);
        _oneOffCost = BlockMemory.Array<double>(Count);
    }

    private void ResetMonthlyCosts() => Array.Clear(_oneOffCost);

    /// <summary>The programmes running in this month: their monthly cost, and their support combined as independent sources.</summary>
    private void UpdateProgrammes(int month)
    {
        _programmeCost = 0;
        var none = 1.0;
        foreach (var programme in _programmes)
        {
            if (month < programme.Month || (programme.DurationMonths is { } months && month >= programme.Month + months)) continue;
            _programmeCost += (programme.CostGbpMPerYear + programme.CostShare * _startingBudget) / 12;
            none *= 1 - programme.Support;
        }
        _programmeSupport = 1 - none;
    }

    /// <summary>
    /// Investment adds budget at once; in-horizon investments also add posts and academy intake
    /// (absolute, plus shares of the starting establishment).
    /// </summary>
    private void ApplyInvestment(InvestmentEvent investment, int month)
    {
        _budget += investment.BudgetGbpMPerYear + investment.BudgetShare * _startingBudget;
        if (month < 0) return; // posts created before the start are already in the starting establishment
        var establishment = _authority.Initial.SocialWorkerFte + _authority.Initial.VacancyFte;
        _postsAddedThisMonth += investment.Posts + investment.PostsShare * establishment;
        _extraAcademyIntake += investment.AcademyIntakePerYear + investment.AcademyShare * establishment;
    }

    /// <summary>
    /// Cost = workforce + intervention + one-off; overspend = cost - budget / 12;
    /// political pressure = clamp(12-month overspend / (budget x scale), 0, 1).
    /// </summary>
    private void StepFinance(int month, WorkforceReport w)
    {
        var scale = _p[P.OverspendPressureScale];
        var ring = _overspend12[((month % 12) + 12) % 12];
        var monthlyBudget = _budget / 12;
        for (var i = 0; i < Count; i++)
        {
            var cost = w.Cost[i] + InterventionCost(i, w.Cost[i]) + _oneOffCost[i] + _programmeCost;
            _monthCost[i] = cost;
            _cumulativeCost[i] += cost;
            ring[i] = cost - monthlyBudget;
        }
        var overspend = Last12Months.Sum(_overspend12, _overspendLast12, Count);
        var limit = Math.Max(1e-9, _budget * scale);
        for (var i = 0; i < Count; i++) _politicalPressure[i] = Math.Clamp(overspend[i] / limit, 0, 1);
    }
}
