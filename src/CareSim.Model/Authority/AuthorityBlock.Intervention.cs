using CareSim.Model.Commissioners;
using CareSim.Model.Grades;
using CareSim.Model.Numerics;
using CareSim.Model.Parameters;
using CareSim.Model.Plan;
using CareSim.Model.Randomness;

namespace CareSim.Model.Authority;

// Intervention: improvement notice and adviser, direction and commissioner, the review's
// recommendation, partnership, removal to a trust, and the support they bring. docs/model.md#intervention
public sealed partial class AuthorityBlock
{
    private bool[] _improvementNotice = null!;
    private bool[] _underDirection = null!;
    private bool[] _commissioner = null!;
    private bool[] _partnered = null!;
    private bool[] _removed = null!;
    private int[] _reviewDue = null!;
    /// <summary>The due review was placed by a timeline event (so it happens even within the history window).</summary>
    private bool[] _reviewByTimeline = null!;
    private int[] _removalMonth = null!;
    private int[] _removedMonth = null!;
    private double[] _commissionerSupport = null!;
    private double[] _commissionerCost = null!;
    private double[] _support = null!;

    private void AllocateIntervention()
    {
        _improvementNotice = BlockMemory.Array<bool>(Count);
        _underDirection = BlockMemory.Array<bool>(Count);
        _commissioner = BlockMemory.Array<bool>(Count);
        _partnered = BlockMemory.Array<bool>(Count);
        _removed = BlockMemory.Array<bool>(Count);
        _reviewDue = BlockMemory.Array<int>(Count);
        _reviewByTimeline = BlockMemory.Array<bool>(Count);
        _removalMonth = BlockMemory.Array<int>(Count);
        _removedMonth = BlockMemory.Array<int>(Count);
        _commissionerSupport = BlockMemory.Array<double>(Count);
        _commissionerCost = BlockMemory.Array<double>(Count);
        _support = BlockMemory.Array<double>(Count);
        Array.Fill(_reviewDue, -1);
        Array.Fill(_removalMonth, NotScheduled);
        Array.Fill(_removedMonth, Never);
        // Until the first commissioner decision arrives, a commissioner in post gives full support.
        Array.Fill(_commissionerSupport, _p[P.CommissionerSupport]);
        Array.Fill(_commissionerCost, _p[P.CommissionerCost]);
    }

    private void AppointCommissioner(int i, int month)
    {
        _commissioner[i] = true;
        _reviewDue[i] = month + (int)_p[P.ReviewMonths];
    }

    private void ApplyRecommendation(int i, Recommendation recommendation, int month)
    {
        switch (recommendation)
        {
            case Recommendation.Partner:
                _partnered[i] = true;
                break;
            case Recommendation.RemoveToTrust when !_removed[i] && _removalMonth[i] == NotScheduled:
                _removalMonth[i] = month + (int)_p[P.RemovalTransitionMonths];
                break;
        }
    }

    private void LiftIntervention(int i)
    {
        _improvementNotice[i] = false;
        _underDirection[i] = false;
        _commissioner[i] = false;
        _partnered[i] = false;
        _reviewDue[i] = -1;
    }

    /// <summary>
    /// On an inadequate grade: a statutory direction; a commissioner when every judgement is
    /// inadequate, the previous grade was inadequate too, or the policy says any inadequate
    /// grade; otherwise an adviser. On requires improvement or better: the direction is lifted;
    /// under the persistent-RI policy a second RI brings an improvement notice.
    /// </summary>
    private void OnGradePublished(int i, int month, int previous)
    {
        var p = _p;
        if (_grade[i] == (int)Grade.Inadequate)
        {
            _improvementNotice[i] = false;
            _underDirection[i] = true;
            var acrossTheBoard = _subLeaders[i] == (int)Grade.Inadequate && _subProtection[i] == (int)Grade.Inadequate && _subCare[i] == (int)Grade.Inadequate;
            var trigger = p[P.CommissionerTrigger] >= 0.5 || acrossTheBoard || previous == (int)Grade.Inadequate;
            if (trigger && !_removed[i] && !_commissioner[i]) AppointCommissioner(i, month);
        }
        else
        {
            LiftIntervention(i);
            if (p[P.PersistentRiIntervention] >= 0.5 && _grade[i] == (int)Grade.RequiresImprovement && previous == (int)Grade.RequiresImprovement)
                _improvementNotice[i] = true;
        }
    }

    private void ApplyCommissionerDirective(int month, CommissionerDirective? directive)
    {
        if (directive is null) return;
        for (var i = 0; i < Count; i++)
        {
            _commissionerSupport[i] = directive.Support[i];
            _commissionerCost[i] = directive.Cost[i];
            var recommendation = (Recommendation)directive.Recommendation[i];
            if (recommendation != Recommendation.None && _commissioner[i])
            {
                _reviewDue[i] = -1;
                _reviewByTimeline[i] = false;
                ApplyRecommendation(i, recommendation, month);
            }
        }
    }

    private void ExecuteRemovals(int month)
    {
        for (var i = 0; i < Count; i++)
        {
            if (_removalMonth[i] == month && !_removed[i]) TransferToTrust(i, month, seeding: false);
        }
    }

    /// <summary>
    /// Services transfer to a trust: the commissioner's role ends (the direction stays until
    /// the grade improves), a new permanent director and chief executive take over, quality
    /// suffers a disruption shock and the trust's set-up cost is paid.
    /// </summary>
    private void TransferToTrust(int i, int month, bool seeding)
    {
        _removed[i] = true;
        _removedMonth[i] = month;
        _commissioner[i] = false;
        _reviewDue[i] = -1;
        if (seeding) return;
        ChangeLeader(i, LeaderRole.Dcs, interim: false, countChange: true);
        ChangeLeader(i, LeaderRole.ChiefExecutive, interim: false, countChange: true);
        _stability[i] = Stability(i);
        // The disruption drops practice one sub-level with probability removal_quality_shock (its own draw of the month's quality stream).
        var u = CounterRng.Uniform(CounterRng.ReplicaKey(CounterRng.StreamKey(_seed, _key, RandomStream.Quality, month), _firstReplica + i), 1);
        if (u < _p[P.RemovalQualityShock] && _state[i] > 0) SetState(i, _state[i] - 1);
        _oneOffCost[i] += _p[P.TrustSetupCost];
    }

    /// <summary>Support target = 1 - product over active sources of (1 - support of the source).</summary>
    private double SupportTarget(int i)
    {
        var p = _p;
        var adviser = _improvementNotice[i] || (_underDirection[i] && !_commissioner[i] && !_removed[i]);
        var none = 1.0;
        if (adviser) none *= 1 - p[P.AdviserSupport];
        if (_commissioner[i]) none *= 1 - _commissionerSupport[i];
        if (_partnered[i]) none *= 1 - p[P.PartnerSupport];
        if (_removed[i]) none *= 1 - p[P.TrustSupport];
        none *= 1 - _programmeSupport;
        return 1 - none;
    }

    private void StepSupport()
    {
        var ramp = 1 - ModelMath.Exp(-1 / _p[P.SupportRampMonths]);
        for (var i = 0; i < Count; i++) _support[i] += (SupportTarget(i) - _support[i]) * ramp;
    }

    /// <summary>Monthly cost of the intervention in force (adviser, commissioner share, partner, trust overhead).</summary>
    private double InterventionCost(int i, double workforceCost)
    {
        var p = _p;
        var cost = 0.0;
        if (_improvementNotice[i] || (_underDirection[i] && !_commissioner[i] && !_removed[i])) cost += p[P.AdviserCost];
        if (_commissioner[i]) cost += _commissionerCost[i];
        if (_partnered[i]) cost += p[P.PartnerCost];
        if (_removed[i]) cost += p[P.TrustOverheadShare] * workforceCost;
        return cost;
    }
}
