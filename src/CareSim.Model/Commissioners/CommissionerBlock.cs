using CareSim.Model.Numerics;
using CareSim.Model.Parameters;
using CareSim.Model.Plan;
using CareSim.Model.Randomness;

namespace CareSim.Model.Commissioners;

/// <summary>
/// A commissioner overseeing one or more authorities (a regional improvement commissioner
/// oversees several), for a block of replicas. Shares attention among the authorities under
/// direction and concludes reviews. Equations: docs/model.md#commissioner.
/// </summary>
public sealed class CommissionerBlock
{
    private readonly ModelParameters _p;
    private readonly ulong _seed;
    private readonly ulong[] _authorityKeys;
    private readonly int _firstReplica;
    private readonly CommissionerDirective[] _directives;
    // Decide's view of its reports' arrays (one per overseen authority), read once a month:
    // indexing the interface per replica costs a dispatch each time.
    [Scratch] private readonly double[][] _activeOf;
    [Scratch] private readonly double[][] _dueOf;
    [Scratch] private readonly double[][] _capacityOf;

    public int Count { get; }
    public string Id { get; }

    public CommissionerBlock(SimulationPlan plan, int commissionerIndex, BlockRange block)
    {
        var commissioner = plan.Commissioners[commissionerIndex];
        Id = commissioner.Id;
        _p = plan.Parameters;
        _seed = plan.Seed;
        _authorityKeys = commissioner.AuthorityIndices.Select(a => CounterRng.AuthorityKey(plan.Authorities[a].Code)).ToArray();
        _firstReplica = block.FirstReplica;
        Count = block.Count;
        _directives = _authorityKeys.Select(_ => new CommissionerDirective(Count)).ToArray();
        _activeOf = new double[_authorityKeys.Length][];
        _dueOf = new double[_authorityKeys.Length][];
        _capacityOf = new double[_authorityKeys.Length][];
    }

    /// <summary>
    /// Decides for the next month, from this month's reports (one per overseen authority, in
    /// the plan's order). Support per authority = commissioner support / n^exponent and cost
    /// per authority = commissioner cost / n, where n counts the authorities with a commissioner
    /// in post (including this one), plus any outside the scenario that the commissioner also
    /// oversees (intervention.commissioner_other_authorities). A review recommends keeping services when the assessed
    /// capacity (true capacity plus error) reaches the keep threshold, a partner above the
    /// partner threshold, and removal to a trust below it.
    /// </summary>
    /// <remarks>The assessment error is drawn from the authority's own stream, so a commissioner overseeing one authority draws exactly what a regional one would.</remarks>
    public IReadOnlyList<CommissionerDirective> Decide(int month, IReadOnlyList<CommissionerReport> reports)
    {
        if (reports.Count != _directives.Length)
            throw new ArgumentException($"commissioner {Id} oversees {_directives.Length} authorities but got {reports.Count} reports", nameof(reports));
        var p = _p;
        var support = p[P.CommissionerSupport];
        var exponent = p[P.CommissionerAttentionExponent];
        var cost = p[P.CommissionerCost];
        var keep = p[P.CapacityKeepThreshold];
        var partner = p[P.CapacityPartnerThreshold];
        var noise = p[P.CapacityNoise];
        var others = p[P.CommissionerOtherAuthorities];
        // sharing takes few values (authorities in post): the power is reused while they repeat.
        var lastSharing = 0L;
        var lastSupport = double.NaN;
        var n = reports.Count;
        var (activeOf, dueOf, capacityOf) = (_activeOf, _dueOf, _capacityOf);
        for (var a = 0; a < n; a++) (activeOf[a], dueOf[a], capacityOf[a]) = (reports[a].Active, reports[a].ReviewDue, reports[a].Capacity);
        for (var i = 0; i < Count; i++)
        {
            var active = 0.0;
            for (var a = 0; a < n; a++) active += activeOf[a][i];
            for (var a = 0; a < n; a++)
            {
                var directive = _directives[a];
                var sharing = active + (activeOf[a][i] > 0 ? 0 : 1) + others;
                var sharingBits = BitConverter.DoubleToInt64Bits(sharing);
                if (sharingBits != lastSharing || double.IsNaN(lastSupport))
                {
                    lastSharing = sharingBits;
                    lastSupport = support * ModelMath.Pow(sharing, -exponent);
                }
                directive.Support[i] = lastSupport;
                directive.Cost[i] = cost / sharing;
                directive.Recommendation[i] = (int)Recommendation.None;
                if (dueOf[a][i] > 0)
                {
                    var streamKey = CounterRng.StreamKey(_seed, _authorityKeys[a], RandomStream.Intervention, month);
                    var assessed = capacityOf[a][i] + noise * CounterRng.Normal(CounterRng.ReplicaKey(streamKey, _firstReplica + i), 0);
                    directive.Recommendation[i] = (int)(assessed >= keep ? Recommendation.KeepWithOversight
                        : assessed >= partner ? Recommendation.Partner
                        : Recommendation.RemoveToTrust);
                }
            }
        }
        return _directives;
    }
}
