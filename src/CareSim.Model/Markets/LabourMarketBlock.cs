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
    // Per-replica sums over the market's authorities, reused every month.
    private readonly double[] _pull;
    private readonly double[] _movers;
    private readonly double[] _perVacancy;
    private readonly double[] _supply;
    private readonly double[] _requests;
    private readonly double[] _placed;
    private readonly double[] _availability;

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
        _pull = BlockMemory.Array<double>(Count);
        _movers = BlockMemory.Array<double>(Count);
        _perVacancy = BlockMemory.Array<double>(Count);
        _supply = BlockMemory.Array<double>(Count);
        _requests = BlockMemory.Array<double>(Count);
        _placed = BlockMemory.Array<double>(Count);
        _availability = BlockMemory.Array<double>(Count);
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
        var count = Count;
        // Authority by authority over all replicas (the sums over authorities are added in the
        // same order for every replica as one replica at a time would add them).
        var pull = _pull;
        var movers = _movers;
        var perVacancy = _perVacancy;
        var supply = _supply;
        var requests = _requests;
        var placed = _placed;
        Array.Clear(pull);
        Array.Clear(movers);
        Array.Clear(perVacancy);
        Array.Clear(supply);
        Array.Clear(requests);
        Array.Clear(placed);
        for (var a = 0; a < n; a++)
        {
            var s = submissions[a];
            var vacancies = s.Vacancies;
            var attractiveness = s.Attractiveness;
            var establishment = s.Establishment;
            var toAgency = s.LeaversToAgency;
            var requested = s.AgencyRequest;
            for (var i = 0; i < count; i++)
            {
                pull[i] += vacancies[i] * attractiveness[i];
                supply[i] += supplyShare * establishment[i] + toAgency[i];
                requests[i] += requested[i];
            }
        }
        for (var a = 0; a < n; a++)
        {
            var s = submissions[a];
            var vacancies = s.Vacancies;
            var attractiveness = s.Attractiveness;
            var toOther = s.LeaversToOtherAuthority;
            for (var i = 0; i < count; i++)
            {
                var moving = withinShare * toOther[i];
                movers[i] += moving;
                var others = pull[i] - vacancies[i] * attractiveness[i];
                if (others > 1e-12) perVacancy[i] += moving / others;
            }
        }
        var availability = _availability;
        for (var i = 0; i < count; i++) availability[i] = requests[i] > 0 ? Math.Min(1, supply[i] / requests[i]) : 1;
        for (var a = 0; a < n; a++)
        {
            var s = submissions[a];
            var vacancies = s.Vacancies;
            var attractiveness = s.Attractiveness;
            var toOther = s.LeaversToOtherAuthority;
            var allocation = _allocations[a];
            var arrivalsOut = allocation.Arrivals;
            var departuresOut = allocation.Departures;
            var availabilityOut = allocation.AgencyAvailability;
            for (var i = 0; i < count; i++)
            {
                var own = vacancies[i] * attractiveness[i];
                var others = pull[i] - own;
                var ownShare = others > 1e-12 ? withinShare * toOther[i] / others : 0;
                var arrivals = own * (perVacancy[i] - ownShare);
                arrivalsOut[i] = arrivals;
                departuresOut[i] = others > 1e-12 ? withinShare * toOther[i] : 0;
                availabilityOut[i] = availability[i];
                placed[i] += arrivals;
            }
        }
        for (var i = 0; i < count; i++)
        {
            _accounts.MovesIntoMarket[i] = movers[i];
            _accounts.MovesPlaced[i] = placed[i];
            _accounts.MovesLeavingMarket[i] = movers[i] - placed[i];
        }
        return _allocations;
    }
}
