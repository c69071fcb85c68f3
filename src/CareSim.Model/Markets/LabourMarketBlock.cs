using CareSim.Model.Parameters;
using CareSim.Model.Plan;

namespace CareSim.Model.Markets;

/// <summary>
/// A regional labour market for a block of replicas: social workers moving between its
/// authorities, and the agency pool they share. Equations: docs/model.md#labour-market.
/// </summary>
public sealed class LabourMarketBlock
{
    private readonly ModelParameters _p;
    private readonly MarketAllocation[] _allocations;
    private readonly MarketAccounts _accounts;

    public int Count { get; }
    public string Id { get; }

    public LabourMarketBlock(SimulationPlan plan, int marketIndex, BlockRange block)
    {
        var market = plan.LabourMarkets[marketIndex];
        Id = market.Id;
        _p = plan.Parameters;
        Count = block.Count;
        _allocations = market.AuthorityIndices.Select(_ => new MarketAllocation(Count)).ToArray();
        _accounts = new MarketAccounts(Count);
    }

    /// <summary>The accounts of the last clearing (valid until the next).</summary>
    public MarketAccounts Accounts => _accounts;

    /// <summary>
    /// Clears one month (submissions in the plan's order of the market's authorities) and
    /// returns each authority's allocation for the next month.
    /// </summary>
    /// <remarks>
    /// Moves: a share of each authority's leavers to other authorities stays in the market (when
    /// it has two or more authorities) and goes to the others in proportion to vacancies x
    /// attractiveness: arrivals_i = v_i x sum over j != i of m_j / (V - v_j). Agency: supply =
    /// external supply x establishment + leavers to agency; every authority gets the same share
    /// min(1, supply / requests).
    /// </remarks>
    public IReadOnlyList<MarketAllocation> Clear(IReadOnlyList<MarketSubmission> submissions)
    {
        if (submissions.Count != _allocations.Length)
            throw new ArgumentException($"market {Id} has {_allocations.Length} authorities but got {submissions.Count} submissions", nameof(submissions));
        var p = _p;
        var withinShare = submissions.Count > 1 ? p[P.WithinMarketMoveShare] : 0;
        var supplyShare = p[P.AgencySupplyShare];
        var n = submissions.Count;
        for (var i = 0; i < Count; i++)
        {
            double pull = 0, movers = 0, perVacancy = 0, supply = 0, requests = 0;
            for (var a = 0; a < n; a++)
            {
                var s = submissions[a];
                pull += s.Vacancies[i] * s.Attractiveness[i];
                supply += supplyShare * s.Establishment[i] + s.LeaversToAgency[i];
                requests += s.AgencyRequest[i];
            }
            for (var a = 0; a < n; a++)
            {
                var s = submissions[a];
                var moving = withinShare * s.LeaversToOtherAuthority[i];
                movers += moving;
                var others = pull - s.Vacancies[i] * s.Attractiveness[i];
                if (others > 1e-12) perVacancy += moving / others;
            }
            var availability = requests > 0 ? Math.Min(1, supply / requests) : 1;
            var placed = 0.0;
            for (var a = 0; a < n; a++)
            {
                var s = submissions[a];
                var own = s.Vacancies[i] * s.Attractiveness[i];
                var others = pull - own;
                var ownShare = others > 1e-12 ? withinShare * s.LeaversToOtherAuthority[i] / others : 0;
                var arrivals = own * (perVacancy - ownShare);
                _allocations[a].Arrivals[i] = arrivals;
                _allocations[a].Departures[i] = others > 1e-12 ? withinShare * s.LeaversToOtherAuthority[i] : 0;
                _allocations[a].AgencyAvailability[i] = availability;
                placed += arrivals;
            }
            _accounts.MovesIntoMarket[i] = movers;
            _accounts.MovesPlaced[i] = placed;
            _accounts.MovesLeavingMarket[i] = movers - placed;
        }
        return _allocations;
    }
}
