using CareSim.Model.Numerics;
using CareSim.Model.Parameters;
using CareSim.Model.Plan;
using CareSim.Model.Randomness;

namespace CareSim.Model.Authority;

// Leadership: director (DCS), chief executive and lead member. docs/model.md#leadership
public sealed partial class AuthorityBlock
{
    private const int RoleCount = 3;
    private double[][] _tenure = null!;
    private bool[][] _interim = null!;
    private double[] _dcsChanges = null!;
    private double[] _stability = null!;

    private void AllocateLeadership()
    {
        _tenure = new double[RoleCount][];
        _interim = new bool[RoleCount][];
        for (var j = 0; j < RoleCount; j++)
        {
            _tenure[j] = BlockMemory.Array<double>(Count);
            _interim[j] = BlockMemory.Array<bool>(Count);
        }
        _dcsChanges = BlockMemory.Array<double>(Count);
        _stability = BlockMemory.Array<double>(Count);
    }

    private double BaseHazard(int role) => role switch
    {
        (int)LeaderRole.Dcs => _p[P.DcsHazard] * _p[P.DcsRetention],
        (int)LeaderRole.ChiefExecutive => _p[P.CeoHazard],
        _ => _p[P.LeadMemberHazard],
    };

    private double InterimShare(int role) => role switch
    {
        (int)LeaderRole.Dcs => _p[P.DcsInterimShare],
        (int)LeaderRole.ChiefExecutive => _p[P.CeoInterimShare],
        _ => 0, // lead members are never interim
    };

    /// <summary>Without history, a leader's tenure at the start is the backward recurrence time of a Poisson process: exponential with the churn rate.</summary>
    private void SeedLeadership()
    {
        var streamKey = CounterRng.StreamKey(_seed, _key, RandomStream.Setup, 0);
        for (var i = 0; i < Count; i++)
        {
            var rk = CounterRng.ReplicaKey(streamKey, _firstReplica + i);
            for (var j = 0; j < RoleCount; j++)
            {
                _tenure[j][i] = -ModelMath.Log(CounterRng.Uniform(rk, 10 + j)) / BaseHazard(j);
                _interim[j][i] = false;
            }
        }
    }

    private void AgeLeaders()
    {
        for (var j = 0; j < RoleCount; j++)
        {
            var tenure = _tenure[j];
            for (var i = 0; i < Count; i++) tenure[i] += 1;
        }
    }

    private void ChangeLeader(int i, LeaderRole role, bool interim, bool countChange)
    {
        _tenure[(int)role][i] = 0;
        _interim[(int)role][i] = interim;
        if (countChange && role == LeaderRole.Dcs) _dcsChanges[i] += 1;
    }

    /// <summary>
    /// Churn: hazard = base x interim x inadequate x (1 + political pressure effect x pressure) x trust;
    /// interims are resolved at a constant rate, by confirmation or a new permanent appointment.
    /// </summary>
    private void StepLeadership(int month)
    {
        if (!InHistory(month))
        {
            var p = _p;
            var streamKey = CounterRng.StreamKey(_seed, _key, RandomStream.Leadership, month);
            var resolution = 1 - ModelMath.Exp(-p[P.InterimResolutionRate]);
            // The churn probabilities' exponentials for the whole block at once (ModelMath's vector lanes: the
            // scalar's bits): exp[j * n + i] = e^-hazard of role j in replica i. Working memory, this thread's.
            var n = Count;
            var exp = StepScratch.Values(RoleCount * n);
            var interimMultiplier = p[P.InterimHazardMultiplier];
            // The roles' base hazards and the churn conditions' parameters read once per block (the same values).
            Span<double> baseHazard = stackalloc double[RoleCount];
            for (var j = 0; j < RoleCount; j++) baseHazard[j] = BaseHazard(j);
            var inadequateMultiplier = p[P.InadequateChurnMultiplier];
            var politicalMultiplier = p[P.PoliticalPressureMultiplier];
            var trustMultiplier = p[P.TrustChurnMultiplier];
            var madePermanentShare = p[P.InterimMadePermanentShare];
            for (var i = 0; i < n; i++)
            {
                // The churn conditions: the same for every role, taken once per replica.
                var conditions = (_grade[i] == (int)Grade.Inadequate ? inadequateMultiplier : 1)
                    * (1 + politicalMultiplier * _politicalPressure[i])
                    * (_removed[i] ? trustMultiplier : 1);
                for (var j = 0; j < RoleCount; j++)
                    exp[j * n + i] = -(baseHazard[j] * conditions * (_interim[j][i] ? interimMultiplier : 1));
            }
            ModelMath.Exp(exp, exp);
            // Draw 4j of every replica and role j, together (the others only when a leader changes or an interim is in post).
            Span<int> churnDraw = stackalloc int[RoleCount];
            for (var j = 0; j < RoleCount; j++) churnDraw[j] = 4 * j;
            var churnU = CounterRng.Uniforms(streamKey, _firstReplica, n, churnDraw);
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < RoleCount; j++)
                {
                    var churn = 1 - exp[j * n + i];
                    if (churnU[j * n + i] < churn)
                    {
                        var rk = CounterRng.ReplicaKey(streamKey, _firstReplica + i);
                        ChangeLeader(i, (LeaderRole)j, CounterRng.Uniform(rk, 4 * j + 1) < InterimShare(j), countChange: true);
                    }
                    else if (_interim[j][i])
                    {
                        var rk = CounterRng.ReplicaKey(streamKey, _firstReplica + i);
                        if (CounterRng.Uniform(rk, 4 * j + 2) < resolution)
                        {
                            if (CounterRng.Uniform(rk, 4 * j + 3) < madePermanentShare) _interim[j][i] = false;
                            else ChangeLeader(i, (LeaderRole)j, interim: false, countChange: true);
                        }
                    }
                }
            }
        }
        UpdateStability();
    }

    /// <summary><see cref="Stability(int)"/> of every replica, its exponentials taken for the whole block at once (the same bits).</summary>
    private void UpdateStability()
    {
        var n = Count;
        var tau = _p[P.LeaderEffectMonths];
        var decay = StepScratch.Values(RoleCount * n);
        for (var j = 0; j < RoleCount; j++)
        {
            var tenure = _tenure[j];
            for (var i = 0; i < n; i++) decay[j * n + i] = -tenure[i] / tau;
        }
        ModelMath.Exp(decay, decay);
        // Stability(i, decay, i, n) with the weights, their total and the interim effect read once per block: the
        // same operations in the same order, so the same bits.
        var interimEffect = _p[P.InterimEffectiveness];
        double w0 = RoleWeight(0), w1 = RoleWeight(1), w2 = RoleWeight(2);
        var total = 0.0 + w0 + w1 + w2;
        var (interim0, interim1, interim2) = (_interim[0], _interim[1], _interim[2]);
        for (var i = 0; i < n; i++)
        {
            var weighted = 0.0
                + w0 * ((1 - decay[i]) * (interim0[i] ? interimEffect : 1))
                + w1 * ((1 - decay[n + i]) * (interim1[i] ? interimEffect : 1))
                + w2 * ((1 - decay[2 * n + i]) * (interim2[i] ? interimEffect : 1));
            _stability[i] = total > 0 ? weighted / total : 0;
        }
    }

    private double RoleWeight(int role) => role switch { 0 => _p[P.WeightDcs], 1 => _p[P.WeightCeo], _ => _p[P.WeightLeadMember] };

    /// <summary>Stability = weighted mean over roles of (1 - exp(-tenure / effect months)) x (interim effectiveness if interim).</summary>
    private double Stability(int i)
    {
        Span<double> decay = stackalloc double[RoleCount];
        for (var j = 0; j < RoleCount; j++) decay[j] = ModelMath.Exp(-_tenure[j][i] / _p[P.LeaderEffectMonths]);
        return Stability(i, decay, 0, 1);
    }

    /// <summary>Stability of replica i from exp(-tenure / effect months) of role j at decay[offset + j x stride].</summary>
    private double Stability(int i, ReadOnlySpan<double> decay, int offset, int stride)
    {
        var p = _p;
        var interimEffect = p[P.InterimEffectiveness];
        double weighted = 0, total = 0;
        for (var j = 0; j < RoleCount; j++)
        {
            var weight = RoleWeight(j);
            var effect = (1 - decay[offset + j * stride]) * (_interim[j][i] ? interimEffect : 1);
            weighted += weight * effect;
            total += weight;
        }
        return total > 0 ? weighted / total : 0;
    }
}
