using CareSim.Model.Parameters;
using CareSim.Model.Plan;
using CareSim.Model.Randomness;
using CareSim.Model.Workforce;

namespace CareSim.Model.Authority;

// Practice quality, the culture of non-compliance, and morale. docs/model.md#quality
public sealed partial class AuthorityBlock
{
    private double[] _quality = null!;
    private double[] _quality0 = null!;
    private double[] _qualityBase = null!;
    private double[] _localLevel = null!; // the quality the authority's own evidence points to (start, corrected by known grades)
    private double[] _drift = null!;      // regression to the mean accumulated so far (relaxes towards its target)
    private double[] _culture = null!;
    private double[] _morale = null!;
    private double[] _morale0 = null!;
    private double[] _pressure = null!;

    private void AllocateQuality()
    {
        _quality = new double[Count];
        _quality0 = new double[Count];
        _qualityBase = new double[Count];
        _localLevel = new double[Count];
        _drift = new double[Count];
        _culture = new double[Count];
        _morale = new double[Count];
        _morale0 = new double[Count];
        _pressure = new double[Count];
    }

    /// <summary>
    /// Starting quality: centred on the given quality or the middle of the latest grade's band,
    /// with a spread of a quarter of the band plus an uncertainty that grows with the grade's age.
    /// </summary>
    private void SeedQuality()
    {
        var init = _authority.Initial;
        var p = _p;
        var streamKey = CounterRng.StreamKey(_seed, _key, RandomStream.Setup, 0);
        for (var i = 0; i < Count; i++)
        {
            var rk = CounterRng.ReplicaKey(streamKey, _firstReplica + i);
            var (low, high) = GradeBand((Grade)_grade[i]);
            var centre = init.Quality ?? (low + high) / 2;
            var age = Math.Max(0, -1 - _gradeMonth[i]);
            var sd = (high - low) / 4 + p[P.GradeAgeUncertainty] * Math.Sqrt(age);
            var graded = Math.Clamp(centre + sd * CounterRng.Normal(rk, 0), 0.02, 0.98);
            // Quality read from an old grade has been regressing to the mean since the grade was
            // published: the drift starts where the model's own reversion would have taken it.
            // (A quality given by the scenario is current: nothing to roll forward.)
            var drift = init.Quality is null ? PreStartDrift(graded, age) : 0;
            var q = Math.Clamp(graded + drift, 0.02, 0.98);
            _quality[i] = q;
            _quality0[i] = q;
            _localLevel[i] = graded;
            _drift[i] = drift;
            _culture[i] = init.Culture ?? 0; // replaced by its equilibrium in CalibrateQualityAndMorale when not given
            if (_grade[i] == (int)Grade.Inadequate) _qualityAtJudgement[i] = q;
        }
    }

    /// <summary>The drift accumulated over <paramref name="months"/> since a grade that put quality at <paramref name="graded"/>.</summary>
    private double PreStartDrift(double graded, double months) =>
        (1 - _p[P.QualityLocalPersistence]) * (_p[P.QualityNationalMean] - graded) * (1 - Math.Exp(-months / _p[P.QualityReversionMonths]));

    /// <summary>The quality band of a grade on the model's scale.</summary>
    private (double Low, double High) GradeBand(Grade grade)
    {
        var cutInadequate = _p[P.CutInadequate];
        var cutGood = _p[P.CutGood];
        var cutOutstanding = _p[P.CutOutstanding];
        return grade switch
        {
            Grade.Inadequate => (Math.Max(0.01, cutInadequate - (cutGood - cutInadequate)), cutInadequate),
            Grade.RequiresImprovement => (cutInadequate, cutGood),
            Grade.Good => (cutGood, cutOutstanding),
            _ => (cutOutstanding, Math.Min(0.99, cutOutstanding + 0.15)),
        };
    }

    private Grade GradeOf(double latent) =>
        latent < _p[P.CutInadequate] ? Grade.Inadequate
        : latent < _p[P.CutGood] ? Grade.RequiresImprovement
        : latent < _p[P.CutOutstanding] ? Grade.Good
        : Grade.Outstanding;

    /// <summary>
    /// Anchors each replica at the start: its base quality is set so that the target equals its
    /// starting quality under the starting conditions (without external support), and its
    /// starting morale is the target morale.
    /// </summary>
    private void CalibrateQualityAndMorale(WorkforceReport start)
    {
        for (var i = 0; i < Count; i++)
        {
            _pressure[i] = start.Pressure[i];
            if (_authority.Initial.Culture is null) _culture[i] = CultureEquilibrium(i, start.Pressure[i]);
            // The starting quality was measured before any support now in force had an effect
            // (interventions follow the grade that measured it), so the anchor assumes none;
            // the support in force then lifts the target from the first month.
            _support[i] = 0;
            _qualityBase[i] = _quality[i] - _drift[i] - QualityDrivers(i, start);
            _support[i] = SupportTarget(i);
            _morale[i] = _morale0[i] = MoraleTarget(i, start.Pressure[i]);
        }
    }

    /// <summary>
    /// The drivers' contribution to target quality:
    /// + leadership x stability + experience x experienced share - turnover x turnover
    /// - agency x agency rate - pressure x (pressure - 1)+ + support x support.
    /// </summary>
    private double QualityDrivers(int i, WorkforceReport w)
    {
        var p = _p;
        var permanent = w.PermanentFte[i];
        var experiencedShare = permanent > 0 ? 1 - w.NoviceFte[i] / permanent : 0;
        var agencyRate = w.AgencyFte[i] / Math.Max(1e-9, w.AgencyFte[i] + permanent);
        return p[P.QualityLeadershipWeight] * _stability[i]
            + p[P.QualityExperienceWeight] * experiencedShare
            - p[P.QualityTurnoverWeight] * w.TurnoverRate[i]
            - p[P.QualityAgencyWeight] * agencyRate
            - p[P.QualityPressureWeight] * CaseloadPressure.Excess(p, w.Pressure[i])
            + p[P.QualitySupportWeight] * _support[i];
    }

    /// <summary>Target morale = baseline - pressure x (pressure - 1)+ - inadequate + leadership x (stability - 0.6).</summary>
    private double MoraleTarget(int i, double pressure)
    {
        var p = _p;
        var target = p[P.MoraleBaseline]
            - p[P.MoralePressureWeight] * CaseloadPressure.Excess(p, pressure)
            - p[P.MoraleInadequateWeight] * (_grade[i] == (int)Grade.Inadequate ? 1 : 0)
            + p[P.MoraleLeadershipWeight] * (_stability[i] - 0.6);
        return Math.Clamp(target, 0.05, 0.95);
    }

    private void StepQuality(int month, WorkforceReport w)
    {
        var p = _p;
        var streamKey = CounterRng.StreamKey(_seed, _key, RandomStream.Quality, month);
        var improve = p[P.QualityImproveRate];
        var decline = p[P.QualityDeclineRate];
        var drag = p[P.CultureDrag];
        var noise = p[P.QualityNoiseSd];
        var threshold = p[P.CultureStabilityThreshold];
        // Regression to the mean: the drift relaxes, with time constant tau, towards the share of the
        // distance to the national mean that does not persist. A known grade moves the local level,
        // and so where the drift is heading, not where it has got to.
        var relax = 1 - Math.Exp(-1 / p[P.QualityReversionMonths]);
        var fades = 1 - p[P.QualityLocalPersistence];
        var nationalMean = p[P.QualityNationalMean];
        for (var i = 0; i < Count; i++)
        {
            var rk = CounterRng.ReplicaKey(streamKey, _firstReplica + i);
            var pressureExcess = CaseloadPressure.Excess(p, w.Pressure[i]);
            _pressure[i] = w.Pressure[i];

            // Quality relaxes towards its target; improvement is slowed by the culture.
            _drift[i] += relax * (fades * (nationalMean - _localLevel[i]) - _drift[i]);
            var target = Math.Clamp(_qualityBase[i] + _drift[i] + QualityDrivers(i, w), 0.02, 0.98);
            var q = _quality[i];
            var rate = target > q ? improve * (1 - drag * _culture[i]) : decline;
            _quality[i] = Math.Clamp(q + rate * (target - q) + noise * CounterRng.Normal(rk, 0), 0.01, 0.99);

            // Culture of non-compliance grows with overload and decays only under stable leadership.
            var c = _culture[i];
            var settled = Math.Max(0, (_stability[i] - threshold) / (1 - threshold));
            _culture[i] = Math.Clamp(c + p[P.CultureGrowth] * pressureExcess * (1 - c) - p[P.CultureDecay] * settled * c, 0, 1);

            _morale[i] += p[P.MoraleAdjustRate] * (MoraleTarget(i, w.Pressure[i]) - _morale[i]);
        }
    }

    /// <summary>The culture at which growth and decay balance: g (pressure - 1)+ / (g (pressure - 1)+ + d settled).</summary>
    private double CultureEquilibrium(int i, double pressure)
    {
        var p = _p;
        var growth = p[P.CultureGrowth] * CaseloadPressure.Excess(p, pressure);
        var threshold = p[P.CultureStabilityThreshold];
        var decay = p[P.CultureDecay] * Math.Max(0, (_stability[i] - threshold) / (1 - threshold));
        return growth + decay > 0 ? growth / (growth + decay) : 0;
    }

    /// <summary>Capacity to improve as a commissioner would judge it: a weighted mean of leadership stability and morale.</summary>
    private double CapacityToImprove(int i)
    {
        var weight = _p[P.CapacityLeadershipWeight];
        return weight * _stability[i] + (1 - weight) * _morale[i];
    }
}
