using CareSim.Model.Grades;
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
    private double[] _level = null!;        // the authority's persistent level (mu + its own effect), drawn from the filter's belief at the start
    private double[] _assumedDrivers0 = null!; // the assumed drivers at the start: they act as changes from it
    private double[] _culture = null!;
    private double[] _morale = null!;
    private double[] _morale0 = null!;
    private double[] _pressure = null!;
    private GradeDynamics _dynamics = null!;

    private void AllocateQuality()
    {
        _quality = new double[Count];
        _quality0 = new double[Count];
        _level = new double[Count];
        _assumedDrivers0 = new double[Count];
        _culture = new double[Count];
        _morale = new double[Count];
        _morale0 = new double[Count];
        _pressure = new double[Count];
        _dynamics = GradeDynamics.From(_p);
    }

    /// <summary>
    /// Starting level and quality: drawn, per replica, from the grade model's belief at the start
    /// given the authority's whole inspection record in the history (every full inspection and its
    /// sub-judgements, how old each is, the interventions they brought), with the workforce rates
    /// at the start held back over the record. A quality given by the scenario is current: quality
    /// starts there (spread by a quarter of a grade band) and the level is set so that the target
    /// equals it.
    /// </summary>
    private void SeedQuality()
    {
        var init = _authority.Initial;
        var streamKey = CounterRng.StreamKey(_seed, _key, RandomStream.Setup, 0);
        var filter = init.Quality is null ? new LatentQualityFilter(_dynamics) : null;
        FilterState? belief = null;
        if (filter is not null) filter.Run(HistoryRecord(), _start.Ordinal, out belief);
        var baseTarget = StartingTargetWithoutLevel();
        for (var i = 0; i < Count; i++)
        {
            var rk = CounterRng.ReplicaKey(streamKey, _firstReplica + i);
            double level, q;
            if (filter is not null)
            {
                (level, q) = filter.Sample(belief!, CounterRng.Uniform(rk, 0), CounterRng.Uniform(rk, 1));
            }
            else
            {
                q = Math.Clamp(init.Quality!.Value + 0.05 * CounterRng.Normal(rk, 0), 0.02, 0.98);
                level = q - baseTarget;
            }
            _quality[i] = q;
            _quality0[i] = q;
            _level[i] = level;
            _culture[i] = init.Culture ?? 0; // replaced by its equilibrium in CalibrateQualityAndMorale when not given
            if (_grade[i] == (int)Grade.Inadequate) _qualityAtJudgement[i] = q;
        }
    }

    /// <summary>The record the filter reads: the history's inspections, the starting workforce rates (held back) and any transfer to a trust.</summary>
    private GradeRecord HistoryRecord()
    {
        var init = _authority.Initial;
        var lag = (int)_p[P.PublicationLagMonths];
        var inspections = _authority.Events.Where(e => e.Month < 0).OfType<InspectionEvent>()
            .Where(e => e.Overall is not null)
            .Select(e => new GradeObservation(_start.Ordinal + e.Month, _start.Ordinal + (e.PublishedMonth ?? e.Month + lag),
                e.Overall!.Value, e.Leaders, e.HelpAndProtection, e.ChildrenInCare));
        var trusts = _authority.Events.Where(e => e.Month < 0).OfType<RemovalEvent>()
            .Select(e => new TrustSpell(_start.Ordinal + e.Month, int.MaxValue));
        var (agency, vacancy, turnover) = StartingRates();
        return new GradeRecord(inspections, [new WorkforceRates(int.MinValue / 2, agency, vacancy, turnover)], trusts);
    }

    private (double Agency, double Vacancy, double Turnover) StartingRates()
    {
        var init = _authority.Initial;
        var agency = init.AgencyFte / Math.Max(1e-9, init.AgencyFte + init.SocialWorkerFte);
        var vacancy = init.VacancyFte / Math.Max(1e-9, init.VacancyFte + init.SocialWorkerFte);
        return (agency, vacancy, init.TurnoverRate ?? GradeDynamics.ReferenceTurnoverRate);
    }

    /// <summary>The target at the start less the level: the drift, the workforce terms and the support in force.</summary>
    private double StartingTargetWithoutLevel()
    {
        var (agency, vacancy, turnover) = StartingRates();
        return _dynamics.Drift(YearOf(0)) + _dynamics.Workforce(agency, vacancy, turnover);
    }

    /// <summary>The calendar year (fractional, mid-month) of a simulated month.</summary>
    private double YearOf(int month) => (_start.Ordinal + month + 0.5) / 12.0;

    private Grade GradeOf(double latent) =>
        latent < _p[P.CutInadequate] ? Grade.Inadequate
        : latent < _p[P.CutGood] ? Grade.RequiresImprovement
        : latent < _p[P.CutOutstanding] ? Grade.Good
        : Grade.Outstanding;

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

    /// <summary>
    /// Evidence that moves a replica's quality by <paramref name="shift"/> (a known grade or
    /// monitoring finding it contradicted) also moves its level, by the share of a deviation of
    /// quality that the level explains: ω² / (ω² + σ_w²).
    /// </summary>
    private void ShiftQuality(int i, double shift)
    {
        _quality[i] += shift;
        var omega2 = _dynamics.AuthoritySd * _dynamics.AuthoritySd;
        _level[i] += shift * omega2 / (omega2 + _dynamics.WithinSd * _dynamics.WithinSd);
    }

    /// <summary>
    /// Anchors the assumed drivers at the start (they act as changes from it) and sets the starting
    /// culture and morale.
    /// </summary>
    private void CalibrateQualityAndMorale(WorkforceReport start)
    {
        for (var i = 0; i < Count; i++)
        {
            _pressure[i] = start.Pressure[i];
            if (_authority.Initial.Culture is null) _culture[i] = CultureEquilibrium(i, start.Pressure[i]);
            _assumedDrivers0[i] = AssumedDrivers(i, start);
            _support[i] = SupportTarget(i);
            _morale[i] = _morale0[i] = MoraleTarget(i, start.Pressure[i]);
        }
    }

    /// <summary>
    /// The target of quality (docs/model.md#grades): level + national drift + β·(workforce rates -
    /// England's) + γ support, estimated; plus the assumed drivers' change since the start.
    /// </summary>
    private double QualityTarget(int i, int month, WorkforceReport w)
    {
        var permanent = w.PermanentFte[i];
        var agencyRate = w.AgencyFte[i] / Math.Max(1e-9, w.AgencyFte[i] + permanent);
        var vacancyRate = w.Vacancies[i] / Math.Max(1e-9, w.Vacancies[i] + permanent);
        return _level[i] + _dynamics.Drift(YearOf(month)) + _dynamics.Workforce(agencyRate, vacancyRate, w.TurnoverRate[i])
            + _dynamics.SupportWeight * _support[i]
            + AssumedDrivers(i, w) - _assumedDrivers0[i];
    }

    /// <summary>The drivers the official files cannot identify: + leadership x stability + experience x experienced share - pressure x (pressure - 1)+.</summary>
    private double AssumedDrivers(int i, WorkforceReport w)
    {
        var p = _p;
        var permanent = w.PermanentFte[i];
        var experiencedShare = permanent > 0 ? 1 - w.NoviceFte[i] / permanent : 0;
        return p[P.QualityLeadershipWeight] * _stability[i]
            + p[P.QualityExperienceWeight] * experiencedShare
            - p[P.QualityPressureWeight] * CaseloadPressure.Excess(p, w.Pressure[i]);
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

    /// <summary>
    /// One month of the grade model's Ornstein-Uhlenbeck step: q' = target + ρ (q - target) + σ_w √(1 - ρ²) z
    /// (+ a shock σ_J z' with probability 1 - e^(-λ)),
    /// with ρ = e^(-1/τ); while the target is above quality, the culture of non-compliance slows the
    /// approach (1 - ρ becomes (1 - ρ)(1 - drag × culture)).
    /// </summary>
    private void StepQuality(int month, WorkforceReport w)
    {
        var p = _p;
        var streamKey = CounterRng.StreamKey(_seed, _key, RandomStream.Quality, month);
        var drag = p[P.CultureDrag];
        var threshold = p[P.CultureStabilityThreshold];
        var closes = 1 - _dynamics.MonthlyPersistence;
        var noise = _dynamics.MonthlyNoiseSd;
        var shockChance = 1 - Math.Exp(-_dynamics.ShockRate);
        for (var i = 0; i < Count; i++)
        {
            var rk = CounterRng.ReplicaKey(streamKey, _firstReplica + i);
            var pressureExcess = CaseloadPressure.Excess(p, w.Pressure[i]);
            _pressure[i] = w.Pressure[i];

            var target = QualityTarget(i, month, w);
            var q = _quality[i];
            var rate = target > q ? closes * (1 - drag * _culture[i]) : closes;
            var shock = CounterRng.Uniform(rk, 1) < shockChance ? _dynamics.ShockSd * CounterRng.Normal(rk, 2) : 0;
            _quality[i] = Math.Clamp(q + rate * (target - q) + noise * CounterRng.Normal(rk, 0) + shock, 0.01, 0.99);

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
