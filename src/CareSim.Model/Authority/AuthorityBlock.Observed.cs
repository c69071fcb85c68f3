using CareSim.Model.Numerics;
using CareSim.Model.Plan;

namespace CareSim.Model.Authority;

// Observed figures: official statistics within the history window set the state of every replica.
// docs/model.md#observed-figures
public sealed partial class AuthorityBlock
{
    /// <summary>The month's observed figures, if the timeline has them (no allocation: runs every month).</summary>
    private ObservedEvent? ObservedIn(int month)
    {
        if (month < 0 || month >= _eventsByMonth.Length) return null;
        foreach (var e in _eventsByMonth[month])
        {
            if (e is ObservedEvent observed) return observed;
        }
        return null;
    }

    /// <summary>
    /// Sets the demand stocks to the observed rates, and scales the year of referrals to the
    /// observed count, moving the referral level by the same factor so that the following months
    /// continue from it (the difference then fades at the level's persistence).
    /// </summary>
    private void ObserveDemand(int month)
    {
        if (ObservedIn(month)?.Demand is not { } observed) return;
        var perChild = _populationNow / 10_000;
        for (var i = 0; i < Count; i++)
        {
            if (observed.ReferralsPer10k is { } referrals)
            {
                var year = 0.0;
                for (var k = 0; k < 12; k++) year += _referrals12[k][i];
                var ratio = referrals * perChild / Math.Max(1e-9, year);
                for (var k = 0; k < 12; k++)
                {
                    _referrals12[k][i] *= ratio;
                    _rereferrals12[k][i] *= ratio;
                }
                _referralLevel[i] += ModelMath.Log(Math.Max(1e-9, ratio));
            }
            if (observed.CppPer10k is { } plans) _plans[i] = plans * perChild;
            if (observed.ClaPer10k is { } care) _care[i] = care * perChild;
            if (observed.CinPer10k is { } cin) _cinOther[i] = Math.Max(0, cin * perChild - _plans[i] - _care[i]);
        }
    }
}
