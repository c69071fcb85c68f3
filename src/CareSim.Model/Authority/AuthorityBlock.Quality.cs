using CareSim.Model.Grades;
using CareSim.Model.Numerics;
using CareSim.Model.Parameters;
using CareSim.Model.Plan;
using CareSim.Model.Randomness;
using CareSim.Model.Workforce;

namespace CareSim.Model.Authority;

// Practice quality, the culture of non-compliance, and morale. docs/model.md#quality
public sealed partial class AuthorityBlock
{
    private int[] _state = null!;           // the grade chain's state: band × 3 + sub-level (docs/model.md#grades)
    private double[] _quality = null!;      // practice quality on the 0-1 scale: the state's place between the cut points
    private double[] _quality0 = null!;
    private double[] _effect = null!;       // the authority's own persistent drive, drawn from the filter's belief at the start
    private double[] _assumedDrivers0 = null!; // the assumed drivers at the start: they act as changes from it
    private double[] _culture = null!;
    private double[] _morale = null!;
    private double[] _morale0 = null!;
    private double[] _pressure = null!;
    private GradeChain _chain = null!;

    private void AllocateQuality()
    {
        _state = BlockMemory.Array<int>(Count);
        _quality = BlockMemory.Array<double>(Count);
        _quality0 = BlockMemory.Array<double>(Count);
        _effect = BlockMemory.Array<double>(Count);
        _assumedDrivers0 = BlockMemory.Array<double>(Count);
        _culture = BlockMemory.Array<double>(Count);
        _morale = BlockMemory.Array<double>(Count);
        _morale0 = BlockMemory.Array<double>(Count);
        _pressure = BlockMemory.Array<double>(Count);
        _chain = GradeChain.From(_p);
    }

    /// <summary>
    /// Starting state and own effect: drawn, per replica, from the grade model's belief at the
    /// start given the authority's whole inspection record in the history (every full inspection
    /// and its sub-judgements, how old each is, the interventions they brought and any trust), with
    /// the workforce rates at the start held back over the record. A quality given by the scenario
    /// puts every replica in the state nearest to it, with no own effect.
    /// </summary>
    private void SeedQuality()
    {
        var init = _authority.Initial;
        var streamKey = CounterRng.StreamKey(_seed, _key, RandomStream.Setup, 0);
        FilterState? belief = null;
        GradeFilter? filter = null;
        if (init.Quality is null)
        {
            filter = new GradeFilter(_chain, _p[P.AdviserSupport], _p[P.CommissionerSupport], _p[P.TrustSupport]);
            filter.Run(HistoryRecord(), _start.Ordinal, out belief);
        }
        for (var i = 0; i < Count; i++)
        {
            var rk = CounterRng.ReplicaKey(streamKey, _firstReplica + i);
            var (effect, state) = filter is not null ? filter.Sample(belief!, CounterRng.Uniform(rk, 0)) : (0, StateOf(init.Quality!.Value));
            SetState(i, state);
            _quality0[i] = _quality[i];
            _effect[i] = effect;
            _culture[i] = init.Culture ?? 0; // replaced by its equilibrium in CalibrateQualityAndMorale when not given
            if (_grade[i] == (int)Grade.Inadequate) _qualityAtJudgement[i] = _quality[i];
        }
    }

    /// <summary>The record the filter reads: the history's inspections, the starting workforce rates (held back) and any transfer to a trust.</summary>
    private GradeRecord HistoryRecord()
    {
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
        return (agency, vacancy, init.TurnoverRate ?? GradeChain.ReferenceTurnoverRate);
    }

    /// <summary>Practice quality of a state: its position within its band between the cut points (the bottom band from half a band below the first cut, the top band to 0.95).</summary>
    private double QualityOfState(int state)
    {
        var (low, high) = GradeBand(GradeChain.Band(state));
        return low + GradeChain.Position(state) * (high - low);
    }

    /// <summary>The state whose quality is nearest to <paramref name="quality"/>.</summary>
    private int StateOf(double quality)
    {
        var best = 0;
        for (var s = 1; s < GradeChain.States; s++)
            if (Math.Abs(QualityOfState(s) - quality) < Math.Abs(QualityOfState(best) - quality)) best = s;
        return best;
    }

    private void SetState(int i, int state)
    {
        _state[i] = state;
        _quality[i] = QualityOfState(state);
    }

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
    /// Evidence that contradicts a replica's state (a known grade, a monitoring finding) moves it
    /// to the nearest state that agrees.
    /// </summary>
    private void MoveToBand(int i, Grade band) => SetState(i, GradeChain.Nearest(_state[i], band));

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
    /// The drive of the grade chain (docs/model.md#grades): the own effect + β·(workforce rates -
    /// England's), estimated; plus the assumed drivers' change since the start. The support is the
    /// chain's to add (in the inadequate band only).
    /// </summary>
    private double Drive(int i, WorkforceReport w)
    {
        var permanent = w.PermanentFte[i];
        var agencyRate = w.AgencyFte[i] / Math.Max(1e-9, w.AgencyFte[i] + permanent);
        var vacancyRate = w.Vacancies[i] / Math.Max(1e-9, w.Vacancies[i] + permanent);
        return _effect[i] + _chain.Workforce(agencyRate, vacancyRate, w.TurnoverRate[i])
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
    /// One month of the grade chain: from its state each replica moves one sub-level up or down,
    /// or two bands, with the chain's monthly probabilities under its drive; the culture of
    /// non-compliance slows the upward moves (rates times 1 - drag × culture).
    /// </summary>
    [ThreadStatic] private static GradeChain.Moves[]? t_rates; // StepQuality's working memory, this thread's

    private void StepQuality(int month, WorkforceReport w)
    {
        var p = _p;
        var streamKey = CounterRng.StreamKey(_seed, _key, RandomStream.Quality, month);
        var drag = p[P.CultureDrag];
        var threshold = p[P.CultureStabilityThreshold];
        var ilacs = _start.Ordinal + month >= GradeObservation.IlacsFrom;
        // The chain's exponentials for the whole block at once (ModelMath's vector lanes: the scalar's bits), in
        // three passes: e^drive and e^-drive (exp[i], exp[n + i]), then each replica's rates (rates[i]) and
        // probability of staying, e^(-λ/12) (exp[2n + i]), then the moves. Working memory, this thread's.
        var n = Count;
        var exp = StepScratch.Values(3 * n);
        var rates = StepScratch.Grow(ref t_rates, n);
        for (var i = 0; i < n; i++)
        {
            var drive = _chain.Drive(_state[i], Drive(i, w), _support[i]);
            exp[i] = drive;
            exp[n + i] = -drive;
        }
        ModelMath.Exp(exp[..(2 * n)], exp[..(2 * n)]);
        for (var i = 0; i < n; i++)
        {
            var monitored = ilacs && _grade[i] == (int)Grade.Inadequate;
            rates[i] = _chain.RatesFrom(_state[i], exp[i], exp[n + i], 1 - drag * _culture[i], monitored);
            exp[2 * n + i] = rates[i].MoveExponent;
        }
        ModelMath.Exp(exp[(2 * n)..], exp[(2 * n)..]);
        var moveDraws = CounterRng.Uniforms(streamKey, _firstReplica, n, 0); // draw 0 of every replica, together
        for (var i = 0; i < n; i++)
        {
            var pressureExcess = CaseloadPressure.Excess(p, w.Pressure[i]);
            _pressure[i] = w.Pressure[i];

            var next = rates[i].Next(_state[i], moveDraws[i], 1 - exp[2 * n + i]);
            if (next != _state[i]) SetState(i, next);

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
