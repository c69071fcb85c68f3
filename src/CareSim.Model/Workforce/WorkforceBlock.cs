using System.Numerics;
using System.Runtime.CompilerServices;
using CareSim.Model.Numerics;
using CareSim.Model.Parameters;
using CareSim.Model.Plan;
using CareSim.Model.Randomness;
using CareSim.Model.Time;

namespace CareSim.Model.Workforce;

/// <summary>
/// An authority's children's social-work workforce for a block of replicas: permanent staff
/// (experienced and novice), agency staff, establishment and vacancies, leavers, starters and
/// absence. Equations: docs/model.md#workforce.
/// </summary>
/// <remarks>
/// Anchoring: each replica's base leaver hazard, the vacancy fill rate and the agency anchor
/// are set so that at the start the authority reproduces its own official figures; the
/// mechanisms then move it away from them.
/// </remarks>
public sealed class WorkforceBlock
{
    private readonly ModelParameters _p;
    private readonly ulong _seed;
    private readonly ulong _authorityKey;
    private readonly int _firstReplica;

    // Per-authority constants derived from its initial state.
    private readonly double _caseHolderShare;
    private readonly double _absenceBase;
    private readonly double _hiresPerFte;
    private readonly double _vacancyRate0;
    private readonly double _academyIntakePerYear;
    private readonly double _agencyAnchor;
    private readonly double _vacancyAnchor;
    private readonly double _neededAnchor;
    private readonly double _attractivenessAnchor;

    /// <summary>Recruiting capacity never falls below that of this share of the funded posts.</summary>
    private const double RecruitmentFloor = 0.5;

    /// <summary>Keeps the vacancy rate positive in the recruitment elasticity when an authority has no vacancies.</summary>
    private const double VacancyRateOffset = 0.02;

    // Per-replica state.
    private readonly double[] _hazardNoise;
    private readonly double[] _recruitmentNoise;  // log AR(1): how well recruitment goes, month to month
    private readonly double[] _plannedPosts;       // starting establishment plus posts added by events
    private readonly double[] _establishmentNoise; // log AR(1): re-budgeting around the plan
    private readonly double[] _agencyNoise;        // log AR(1): agency use around what vacancies and demand call for
    private readonly double[] _caseHolderNoise;    // log AR(1): share of staff holding cases
    private readonly double[] _caseHolderShareNow;
    private readonly double[] _experienced;
    private readonly double[] _novice;
    private readonly double[] _agency;
    private readonly double[] _establishment;
    private readonly double[] _baseHazard;
    private readonly double[] _lastPressure;
    private readonly double[][] _leaversLast12; // ring of 12 months of leavers
    private readonly double[] _leaversSum;      // their 12-month sums (scratch)
    private readonly WorkforceReport _report;

    public int Count { get; }

    /// <summary>Seeds the workforce from the authority's official figures.</summary>
    /// <param name="initialDrivers">The authority's conditions at the start (month -1).</param>
    public WorkforceBlock(AuthorityPlan authority, ulong seed, BlockRange block, WorkforceDrivers initialDrivers)
    {
        _p = authority.Parameters;
        _seed = seed;
        _authorityKey = CounterRng.AuthorityKey(authority.Code);
        _firstReplica = block.FirstReplica;
        Count = block.Count;
        var init = authority.Initial;
        var p = _p;

        _caseHolderShare = InitialWorkload.CaseHolderShare(init, p);
        var absence = init.AbsenceRate ?? p[P.DefaultAbsence];
        var noviceShare = init.NoviceShare ?? p[P.DefaultNoviceShare];
        var turnover = init.TurnoverRate ?? p[P.DefaultTurnover];
        var permanent = init.SocialWorkerFte;
        var establishment = init.SocialWorkerFte + init.VacancyFte;
        var noviceWeight = p[P.NoviceCaseloadWeight];
        var experienced = permanent * (1 - noviceShare);
        var novice = permanent * noviceShare;
        var weightedPermanent = experienced + noviceWeight * novice;
        var cases0 = InitialWorkload.Cases(init, p);

        var pressure0 = cases0 / Math.Max(1e-9, (weightedPermanent + init.AgencyFte) * _caseHolderShare * (1 - absence)) / p[P.CaseloadReference];
        _absenceBase = absence / (1 + p[P.AbsencePressureEffect] * PressureExcess(pressure0));
        _academyIntakePerYear = init.AcademyIntakePerYear ?? p[P.DefaultAcademyShare] * establishment;

        var inadequate0 = initialDrivers.Inadequate.Length > 0 ? initialDrivers.Inadequate[0] : 0;
        var good0 = initialDrivers.GoodOrBetter.Length > 0 ? initialDrivers.GoodOrBetter[0] : 0;
        _attractivenessAnchor = Attractiveness(p, inadequate0, good0, 0);

        // Recruitment that balances leavers at the start and grows the staff with the funded posts'
        // trend: recruits + intake = leavers + growth (at least a quarter of leavers are replaced by
        // experienced recruits, however large the intake). The observed turnover is the median of
        // the leaver noise's year, so the leavers to replace are its mean (x exp(σ²/2)). In a shared
        // labour market some of the leavers' replacements arrive as movers from the other
        // authorities (about as many as it sends them): recruits make up the rest.
        var leaverNoise = new LogAr1(p[P.LeaverNoiseSd], p[P.LeaverNoisePersistence]);
        var monthlyLeavers = turnover / 12 * permanent;
        var meanLeavers = monthlyLeavers * leaverNoise.StationaryMeanFactor;
        var growth = ModelMath.Log(1 + p[P.EstablishmentTrendPerYear]) / 12 * permanent;
        var expectedArrivals = initialDrivers.SharedMarket ? p[P.WithinMarketMoveShare] * p[P.LeaverShareToOtherAuthority] * meanLeavers : 0;
        _hiresPerFte = Math.Max(0.25 * meanLeavers, meanLeavers + growth - expectedArrivals - _academyIntakePerYear / 12) / permanent / _attractivenessAnchor;
        _vacancyRate0 = init.VacancyFte / establishment + VacancyRateOffset;

        // Agency is anchored at the start: it moves with vacancies and with the staff needed
        // beyond the starting need. The starting need is measured at the reference caseload (not
        // the lever), so a caseload-target lever changes the need and therefore agency demand.
        _neededAnchor = cases0 / (p[P.CaseloadReference] * _caseHolderShare * (1 - absence));
        _vacancyAnchor = init.VacancyFte;
        _agencyAnchor = init.AgencyFte;

        _hazardNoise = BlockMemory.Array<double>(Count);
        _recruitmentNoise = BlockMemory.Array<double>(Count);
        _plannedPosts = BlockMemory.Array<double>(Count);
        _establishmentNoise = BlockMemory.Array<double>(Count);
        _agencyNoise = BlockMemory.Array<double>(Count);
        _caseHolderNoise = BlockMemory.Array<double>(Count);
        _caseHolderShareNow = BlockMemory.Array<double>(Count);
        _experienced = BlockMemory.Array<double>(Count);
        _novice = BlockMemory.Array<double>(Count);
        _agency = BlockMemory.Array<double>(Count);
        _establishment = BlockMemory.Array<double>(Count);
        _baseHazard = BlockMemory.Array<double>(Count);
        _lastPressure = BlockMemory.Array<double>(Count);
        _leaversLast12 = new double[12][]; // slot k holds month k mod 12; slots start as months -12..-1
        for (var k = 0; k < 12; k++) _leaversLast12[k] = BlockMemory.Array<double>(Count);
        _leaversSum = BlockMemory.Array<double>(Count);

        var mixFactor = (1 - noviceShare) + noviceShare * p[P.NoviceHazardMultiplier];
        var setupKey = CounterRng.StreamKey(seed, _authorityKey, RandomStream.Setup, 0);
        var recruitmentNoise = new LogAr1(p[P.RecruitmentNoiseSd], p[P.RecruitmentNoisePersistence]);
        var baseHazard = -ModelMath.Log(1 - Math.Min(0.99, turnover / 12));
        // The setup's normal draws of every replica, computed together: z[k * n + i] is draw k's
        // (k = 0: draw 30; k = 1..12: draws 31..42; k = 13: draw 60).
        var n = Count;
        var z = CounterRng.Normals(setupKey, _firstReplica, n, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 60);
        for (var i = 0; i < n; i++)
        {
            // The last year's leaving is not known month by month (only the multi-year turnover): the
            // noise of the 12 months before the start is a path of its AR(1) from its stationary
            // distribution, and the leavers of those months follow it.
            var noise = leaverNoise.Sd * z[i];
            for (var k = 0; k < 12; k++)
            {
                noise = leaverNoise.Step(noise, z[(1 + k) * n + i]);
                _leaversLast12[k][i] = monthlyLeavers * LogAr1.Median(noise);
            }
            _hazardNoise[i] = noise;
            // How recruitment is going at the start is not known either: a draw from its stationary distribution.
            _recruitmentNoise[i] = recruitmentNoise.Sd * z[13 * n + i];
            _experienced[i] = experienced;
            _novice[i] = novice;
            _agency[i] = init.AgencyFte;
            _establishment[i] = establishment;
            _plannedPosts[i] = establishment;
            _caseHolderShareNow[i] = _caseHolderShare;
            _lastPressure[i] = pressure0;
            var conditions = ModelMath.Exp(p[P.LeaverPressureEffect] * PressureExcess(pressure0)
                + p[P.LeaverInstabilityEffect] * (1 - initialDrivers.LeadershipStability[i])
                + p[P.LeaverInadequateEffect] * initialDrivers.Inadequate[i]);
            _baseHazard[i] = baseHazard / (mixFactor * conditions);
        }

        _report = new WorkforceReport(Count);
        FillReport(initialDrivers, isStart: true);
    }

    /// <summary>The state at the start, before any month has been simulated.</summary>
    public WorkforceReport InitialReport => _report;

    private double PressureExcess(double pressure) => CaseloadPressure.Excess(_p, pressure);

    private static double Attractiveness(ModelParameters p, double inadequate, double goodOrBetter, double moraleDrop) =>
        ModelMath.Exp(p[P.AttractivenessInadequate] * inadequate + p[P.AttractivenessGood] * goodOrBetter - p[P.AttractivenessMorale] * moraleDrop);

    /// <summary>
    /// Advances one month. The returned report is owned by the block and valid until the next call.
    /// </summary>
    public WorkforceReport Step(WorkforceDrivers d)
    {
        var p = _p;
        var streamKey = CounterRng.StreamKey(_seed, _authorityKey, RandomStream.Workforce, d.Month);
        var leaverNoise = new LogAr1(p[P.LeaverNoiseSd], p[P.LeaverNoisePersistence]);
        var recruitmentProcess = new LogAr1(p[P.RecruitmentNoiseSd], p[P.RecruitmentNoisePersistence]);
        // Recruits are a flow that balances the leavers' mean: a mean-one factor.
        var recruitmentCorrection = -0.5 * recruitmentProcess.Sd * recruitmentProcess.Sd;
        var elasticity = p[P.RecruitmentVacancyElasticity];
        var noviceMultiplier = p[P.NoviceHazardMultiplier];
        var progression = 1 - ModelMath.Exp(-1 / p[P.NoviceProgressionMonths]);
        var shareToOther = p[P.LeaverShareToOtherAuthority];
        var shareToAgency = p[P.LeaverShareToAgency];
        var disruptionMultiplier = p[P.RemovalTurnoverMultiplier];
        var intakeMonth = (int)p[P.AcademyIntakeMonth];
        var yearlyIntake = _academyIntakePerYear + d.ExtraAcademyIntakePerYear;
        var intake = intakeMonth == 0 ? yearlyIntake / 12 : d.CalendarMonth == intakeMonth ? yearlyIntake : 0;
        var ring = _leaversLast12[((d.Month % 12) + 12) % 12];
        var establishmentProcess = new LogAr1(p[P.EstablishmentNoiseSd], p[P.EstablishmentNoisePersistence]);
        var agencyProcess = new LogAr1(p[P.AgencyNoiseSd], p[P.AgencyNoisePersistence]);
        var caseHolderProcess = new LogAr1(p[P.CaseHolderNoiseSd], p[P.CaseHolderNoisePersistence]);
        var trend = ModelMath.Pow(1 + p[P.EstablishmentTrendPerYear], (d.Month + 1) / 12.0);

        var leavers = _report.Leavers;
        var toOther = _report.LeaversToOtherAuthority;
        var toAgency = _report.LeaversToAgency;
        var starters = _report.Starters;
        var attractiveness = _report.Attractiveness;
        var requests = _report.AgencyRequest;
        // Parameters read once (the same values; the loop below is the hot path of the model).
        var excessCap = p[P.PressureExcessCap];
        var pressureEffect = p[P.LeaverPressureEffect];
        var instabilityEffect = p[P.LeaverInstabilityEffect];
        var moraleEffect = p[P.LeaverMoraleEffect];
        var inadequateEffect = p[P.LeaverInadequateEffect];
        var maxHazard = p[P.MaxLeaverHazard];
        var maxNoviceHazard = p[P.MaxLeaverHazard] * noviceMultiplier;
        var absenceEffect = p[P.AbsencePressureEffect];
        var caseloadTarget = p[P.CaseloadTarget];
        var vacancyCover = p[P.AgencyVacancyCover];
        var demandCover = p[P.AgencyDemandCover];
        var cap = p[P.AgencyRateCap];
        var adjustRate = p[P.AgencyAdjustRate];
        var attractInadequate = p[P.AttractivenessInadequate];
        var attractGood = p[P.AttractivenessGood];
        var attractMorale = p[P.AttractivenessMorale];

        // The month's five normal draws of every replica, computed together: z[k * n + i] is draw k's.
        var n = Count;
        var z = CounterRng.Normals(streamKey, _firstReplica, n, 0, 1, 2, 3, 4);
        var zHazard = z[..n];
        var zEstablishment = z.Slice(n, n);
        var zAgency = z.Slice(2 * n, n);
        var zCaseHolder = z.Slice(3 * n, n);
        var zRecruitment = z.Slice(4 * n, n);
        // The step in four passes over the replicas, so that each pass's exp and pow are taken for the whole block
        // at once (ModelMath's vector lanes: the scalar's bits). Working memory, this thread's: the six
        // exponentials (of the noises, the leaver hazard's multiplier and the attractiveness: e[k * n + i]), the two
        // leaving probabilities' exponentials, and the recruitment's vacancy factor.
        var work = StepScratch.Values(9 * n);
        var e = work[..(6 * n)];
        var eEstablishment = e[..n];
        var eCaseHolder = e.Slice(n, n);
        var eMultiplier = e.Slice(2 * n, n);
        var eRecruitment = e.Slice(3 * n, n);
        var eAgency = e.Slice(4 * n, n);
        var eAttract = e.Slice(5 * n, n);
        var eLeave = work.Slice(6 * n, n);
        var eLeaveNovice = work.Slice(7 * n, n);
        var vacancyFactor = work.Slice(8 * n, n);

        // 1. The AR(1) noises (vector lanes where they only feed an exponential), and the exponents.
        LogAr1.StepAll(_establishmentNoise, zEstablishment, establishmentProcess.Phi, establishmentProcess.Innovation, 0, eEstablishment); // LogAr1.Median
        LogAr1.StepAll(_agencyNoise, zAgency, agencyProcess.Phi, agencyProcess.Innovation, 0, eAgency); // LogAr1.Median
        LogAr1.StepAll(_caseHolderNoise, zCaseHolder, caseHolderProcess.Phi, caseHolderProcess.Innovation, 0, eCaseHolder); // LogAr1.Median
        LogAr1.StepAll(_recruitmentNoise, zRecruitment, recruitmentProcess.Phi, recruitmentProcess.Innovation, recruitmentCorrection, eRecruitment);
        // Passes 1-3 take whole vectors of replicas first (Pass1Lanes to Pass3Lanes), then the scalar loops below finish the rest.
        var lanes = new StepLanes(d, zHazard, eMultiplier, eAttract, leaverNoise, pressureEffect, instabilityEffect, moraleEffect,
            inadequateEffect, excessCap, attractInadequate, attractGood, attractMorale);
        var vectorEnd = Vector.IsHardwareAccelerated ? n - n % Vector<double>.Count : 0;
        Pass1Lanes(lanes, vectorEnd);
        for (var i = vectorEnd; i < n; i++)
        {
            // Funded posts: the plan (start + investment) re-budgeted around by a mean-one factor.
            _plannedPosts[i] += d.PostsAdded;

            // Leavers: a proportional hazard of pressure, instability, morale and grade, with AR(1) noise (median one).
            var pressureExcess = Math.Min(excessCap, Math.Max(0, _lastPressure[i] - 1)); // CaseloadPressure.Excess
            _hazardNoise[i] = leaverNoise.Step(_hazardNoise[i], zHazard[i]);
            eMultiplier[i] = pressureEffect * pressureExcess
                + instabilityEffect * (1 - d.LeadershipStability[i])
                + moraleEffect * d.MoraleDrop[i]
                + inadequateEffect * d.Inadequate[i]
                + _hazardNoise[i];
            eAttract[i] = attractInadequate * d.Inadequate[i] + attractGood * d.GoodOrBetter[i] - attractMorale * d.MoraleDrop[i]; // Attractiveness
        }
        ModelMath.Exp(e, e);

        // 2. Funded posts, case holders, and the leaver hazards.
        Pass2Lanes(d, trend, eEstablishment, eCaseHolder, eMultiplier, eLeave, eLeaveNovice, disruptionMultiplier, maxHazard, maxNoviceHazard,
            noviceMultiplier, vectorEnd);
        for (var i = vectorEnd; i < n; i++)
        {
            _establishment[i] = _plannedPosts[i] * trend * eEstablishment[i];
            _caseHolderShareNow[i] = Math.Min(1, _caseHolderShare * eCaseHolder[i]);
            var multiplier = eMultiplier[i];
            if (d.Disruption[i] > 0) multiplier *= disruptionMultiplier;
            var hazard = Math.Min(maxHazard, _baseHazard[i] * multiplier);
            eLeave[i] = -hazard;
            eLeaveNovice[i] = -Math.Min(maxNoviceHazard, hazard * noviceMultiplier);
        }
        ModelMath.Exp(work.Slice(6 * n, 2 * n), work.Slice(6 * n, 2 * n));

        // 3. Leavers, novices' progression, and the vacancy rate that recruitment answers.
        Pass3Lanes(eLeave, eLeaveNovice, ring, vacancyFactor, shareToOther, shareToAgency, progression, vectorEnd);
        for (var i = vectorEnd; i < n; i++)
        {
            var leaveExperienced = _experienced[i] * (1 - eLeave[i]);
            var leaveNovice = _novice[i] * (1 - eLeaveNovice[i]);
            _experienced[i] -= leaveExperienced;
            _novice[i] -= leaveNovice;
            var left = leaveExperienced + leaveNovice;
            leavers[i] = left;
            toOther[i] = left * shareToOther;
            toAgency[i] = left * shareToAgency;
            ring[i] = left;

            // Novices become experienced.
            var progressed = _novice[i] * progression;
            _novice[i] -= progressed;
            _experienced[i] += progressed;

            var vacancies = Math.Max(0, _establishment[i] - (_experienced[i] + _novice[i]));
            var vacancyRate = vacancies / Math.Max(1e-9, _establishment[i]) + VacancyRateOffset;
            vacancyFactor[i] = vacancyRate / _vacancyRate0;
        }
        ModelMath.Pow(vacancyFactor, elasticity, vacancyFactor);

        // 4. Starters and agency staff.
        for (var i = 0; i < n; i++)
        {
            // Starters: recruits (mostly replacement, weakly more with vacancies), moves from the
            // market's other authorities, academy intake.
            var permanent = _experienced[i] + _novice[i];
            var vacancies = Math.Max(0, _establishment[i] - permanent);
            var attract = eAttract[i];
            attractiveness[i] = attract / _attractivenessAnchor;
            // Recruiting capacity scales with the staff in post (as starters per FTE in the data),
            // but not below half the funded posts: recruitment goes on when staff are leaving.
            var capacity = Math.Max(permanent, RecruitmentFloor * _establishment[i]);
            var hires = Math.Min(vacancies, capacity * _hiresPerFte * attract * vacancyFactor[i] * eRecruitment[i]);
            _experienced[i] += hires + d.MarketArrivals[i];
            _novice[i] += intake;
            starters[i] = hires + d.MarketArrivals[i] + intake;

            // Agency: wanted = start + cover x (vacancies - start) + cover x (need - starting need), within any cap.
            var pressureExcess = Math.Min(excessCap, Math.Max(0, _lastPressure[i] - 1)); // CaseloadPressure.Excess
            var absence = Math.Min(0.9, _absenceBase * (1 + absenceEffect * pressureExcess));
            var vacanciesAfter = Math.Max(0, _establishment[i] - _experienced[i] - _novice[i]);
            var needed = d.Cases[i] / (caseloadTarget * _caseHolderShareNow[i] * (1 - absence));
            var wanted = Math.Max(0, _agencyAnchor
                + vacancyCover * (vacanciesAfter - _vacancyAnchor)
                + demandCover * (needed - _neededAnchor)) * eAgency[i];
            if (cap < 1) wanted = Math.Min(wanted, cap / (1 - cap) * (_experienced[i] + _novice[i]));
            if (wanted > _agency[i])
            {
                var request = (wanted - _agency[i]) * adjustRate;
                requests[i] = request;
                _agency[i] += request * d.AgencyAvailability[i];
            }
            else
            {
                requests[i] = 0;
                _agency[i] -= (_agency[i] - wanted) * adjustRate;
            }
        }

        if (d.Observation is { } observed) Observe(observed, d, trend);
        FillReport(d, isStart: false);
        return _report;
    }

    // ---- Passes 1-3 of Step in vector lanes, replicas [0, end) (end a multiple of the width). Each lane computes the
    // scalar loop's expression for its replica with the same IEEE operations in the same order (Vector.Min and Max are
    // Math.Min and Max lane by lane, NaN and signed zeros included: StepLanesTests), so every value has the scalar's bits.

    /// <summary>Pass 1's inputs.</summary>
    private readonly ref struct StepLanes(WorkforceDrivers d, ReadOnlySpan<double> zHazard, Span<double> eMultiplier, Span<double> eAttract,
        LogAr1 leaverNoise, double pressureEffect, double instabilityEffect, double moraleEffect, double inadequateEffect, double excessCap,
        double attractInadequate, double attractGood, double attractMorale)
    {
        public readonly WorkforceDrivers D = d;
        public readonly ReadOnlySpan<double> ZHazard = zHazard;
        public readonly Span<double> EMultiplier = eMultiplier, EAttract = eAttract;
        public readonly LogAr1 LeaverNoise = leaverNoise;
        public readonly double PressureEffect = pressureEffect, InstabilityEffect = instabilityEffect, MoraleEffect = moraleEffect;
        public readonly double InadequateEffect = inadequateEffect, ExcessCap = excessCap;
        public readonly double AttractInadequate = attractInadequate, AttractGood = attractGood, AttractMorale = attractMorale;
    }

    // Vector<T> code is never precompiled (ReadyToRun): compiled optimised at once, not first as slow tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Pass1Lanes(in StepLanes a, int end)
    {
        var d = a.D;
        var postsAdded = new Vector<double>(d.PostsAdded);
        var (phi, innovation) = (new Vector<double>(a.LeaverNoise.Phi), new Vector<double>(a.LeaverNoise.Innovation));
        for (var i = 0; i < end; i += Vector<double>.Count)
        {
            (new Vector<double>(_plannedPosts, i) + postsAdded).CopyTo(_plannedPosts, i);
            var pressureExcess = Vector.Min(new Vector<double>(a.ExcessCap), Vector.Max(Vector<double>.Zero, new Vector<double>(_lastPressure, i) - Vector<double>.One));
            var noise = phi * new Vector<double>(_hazardNoise, i) + innovation * new Vector<double>(a.ZHazard[i..]); // LogAr1.Step
            noise.CopyTo(_hazardNoise, i);
            var inadequate = new Vector<double>(d.Inadequate, i);
            var moraleDrop = new Vector<double>(d.MoraleDrop, i);
            (a.PressureEffect * pressureExcess
                + a.InstabilityEffect * (Vector<double>.One - new Vector<double>(d.LeadershipStability, i))
                + a.MoraleEffect * moraleDrop
                + a.InadequateEffect * inadequate
                + noise).CopyTo(a.EMultiplier[i..]);
            (a.AttractInadequate * inadequate + a.AttractGood * new Vector<double>(d.GoodOrBetter, i) - a.AttractMorale * moraleDrop).CopyTo(a.EAttract[i..]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Pass2Lanes(WorkforceDrivers d, double trend, ReadOnlySpan<double> eEstablishment, ReadOnlySpan<double> eCaseHolder,
        ReadOnlySpan<double> eMultiplier, Span<double> eLeave, Span<double> eLeaveNovice, double disruptionMultiplier, double maxHazard,
        double maxNoviceHazard, double noviceMultiplier, int end)
    {
        for (var i = 0; i < end; i += Vector<double>.Count)
        {
            (new Vector<double>(_plannedPosts, i) * trend * new Vector<double>(eEstablishment[i..])).CopyTo(_establishment, i);
            Vector.Min(Vector<double>.One, _caseHolderShare * new Vector<double>(eCaseHolder[i..])).CopyTo(_caseHolderShareNow, i);
            var multiplier = new Vector<double>(eMultiplier[i..]);
            multiplier = Vector.ConditionalSelect(Vector.GreaterThan(new Vector<double>(d.Disruption, i), Vector<double>.Zero),
                multiplier * disruptionMultiplier, multiplier);
            var hazard = Vector.Min(new Vector<double>(maxHazard), new Vector<double>(_baseHazard, i) * multiplier);
            (-hazard).CopyTo(eLeave[i..]);
            (-Vector.Min(new Vector<double>(maxNoviceHazard), hazard * noviceMultiplier)).CopyTo(eLeaveNovice[i..]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Pass3Lanes(ReadOnlySpan<double> eLeave, ReadOnlySpan<double> eLeaveNovice, double[] ring, Span<double> vacancyFactor,
        double shareToOther, double shareToAgency, double progression, int end)
    {
        var r = _report;
        for (var i = 0; i < end; i += Vector<double>.Count)
        {
            var experienced = new Vector<double>(_experienced, i);
            var novice = new Vector<double>(_novice, i);
            var leaveExperienced = experienced * (Vector<double>.One - new Vector<double>(eLeave[i..]));
            var leaveNovice = novice * (Vector<double>.One - new Vector<double>(eLeaveNovice[i..]));
            experienced -= leaveExperienced;
            novice -= leaveNovice;
            var left = leaveExperienced + leaveNovice;
            left.CopyTo(r.Leavers, i);
            (left * shareToOther).CopyTo(r.LeaversToOtherAuthority, i);
            (left * shareToAgency).CopyTo(r.LeaversToAgency, i);
            left.CopyTo(ring, i);

            var progressed = novice * progression;
            novice -= progressed;
            experienced += progressed;
            experienced.CopyTo(_experienced, i);
            novice.CopyTo(_novice, i);

            var establishment = new Vector<double>(_establishment, i);
            var vacancies = Vector.Max(Vector<double>.Zero, establishment - (experienced + novice));
            var vacancyRate = vacancies / Vector.Max(new Vector<double>(1e-9), establishment) + new Vector<double>(VacancyRateOffset);
            (vacancyRate / _vacancyRate0).CopyTo(vacancyFactor[i..]);
        }
    }

    /// <summary>
    /// Sets every replica's workforce to the census figures (docs/model.md#observed-figures): staff
    /// in post scaled to the observed FTE (keeping each replica's experience mix); the observed
    /// establishment becomes the plan of funded posts; agency FTE set to the observed figure, with
    /// the part that vacancies and demand do not explain carried by the agency AR(1) state, so that
    /// it fades at that process's persistence rather than within months.
    /// </summary>
    private void Observe(WorkforceObservation observed, WorkforceDrivers d, double trend)
    {
        var p = _p;
        for (var i = 0; i < Count; i++)
        {
            if (observed.SwFte is { } fte)
            {
                var permanent = _experienced[i] + _novice[i];
                if (permanent > 1e-9)
                {
                    var scale = fte / permanent;
                    _experienced[i] *= scale;
                    _novice[i] *= scale;
                }
                else
                {
                    _experienced[i] = fte;
                }
            }
            if (observed.VacancyFte is { } vacant)
            {
                var establishment = _experienced[i] + _novice[i] + vacant;
                _establishmentNoise[i] = 0;
                _plannedPosts[i] = establishment / trend;
                _establishment[i] = establishment;
            }
            if (observed.AgencyFte is { } agency)
            {
                _agency[i] = agency;
                var absence = Math.Min(0.9, _absenceBase * (1 + p[P.AbsencePressureEffect] * PressureExcess(_lastPressure[i])));
                var vacancies = Math.Max(0, _establishment[i] - _experienced[i] - _novice[i]);
                var needed = d.Cases[i] / (p[P.CaseloadTarget] * _caseHolderShareNow[i] * (1 - absence));
                var explained = Math.Max(1, _agencyAnchor
                    + p[P.AgencyVacancyCover] * (vacancies - _vacancyAnchor)
                    + p[P.AgencyDemandCover] * (needed - _neededAnchor));
                // Median(x) = exp(x) = agency / explained.
                _agencyNoise[i] = ModelMath.Log(Math.Max(agency, 1e-6) / explained);
            }
        }
    }

    /// <summary>Writes the stocks and derived rates into the report (flows were written by the step).</summary>
    private void FillReport(WorkforceDrivers d, bool isStart)
    {
        var p = _p;
        var r = _report;
        var costPerFte = p[P.PermanentCostPerFte] / 12;
        var agencyCost = costPerFte * p[P.AgencyCostMultiplier];
        var excessCap = p[P.PressureExcessCap];
        var absenceEffect = p[P.AbsencePressureEffect];
        var noviceWeight = p[P.NoviceCaseloadWeight];
        var reference = p[P.CaseloadReference];
        var saturation = 1 + p[P.PressureExcessCap];
        var leaversLast12 = Last12Months.Sum(_leaversLast12, _leaversSum, Count);
        for (var i = 0; i < Count; i++)
        {
            var permanent = _experienced[i] + _novice[i];
            var pressureExcess = Math.Min(excessCap, Math.Max(0, _lastPressure[i] - 1)); // CaseloadPressure.Excess
            var absence = Math.Min(0.9, _absenceBase * (1 + absenceEffect * pressureExcess));
            var caseHolders = (permanent + _agency[i]) * _caseHolderShareNow[i];
            var effective = (_experienced[i] + noviceWeight * _novice[i] + _agency[i]) * _caseHolderShareNow[i] * (1 - absence);
            var cases = d.Cases[i];
            r.PermanentFte[i] = permanent;
            r.NoviceFte[i] = _novice[i];
            r.AgencyFte[i] = _agency[i];
            r.Establishment[i] = _establishment[i];
            r.Vacancies[i] = Math.Max(0, _establishment[i] - permanent);
            r.CaseHolders[i] = caseHolders;
            // Cases beyond what the workforce can hold at the saturation pressure are unallocated.
            var allocated = Math.Min(cases, effective * reference * saturation);
            r.Caseload[i] = allocated / Math.Max(1e-9, caseHolders);
            r.Absence[i] = absence;
            var pressure = cases / Math.Max(1e-9, effective) / reference;
            r.Pressure[i] = pressure;
            _lastPressure[i] = pressure;
            r.TurnoverRate[i] = leaversLast12[i] / Math.Max(1e-9, permanent);
            r.Cost[i] = permanent * costPerFte + _agency[i] * agencyCost;
            if (isStart)
            {
                r.Leavers[i] = r.LeaversToOtherAuthority[i] = r.LeaversToAgency[i] = r.Starters[i] = r.AgencyRequest[i] = 0;
                r.Attractiveness[i] = 1;
            }
        }
    }
}
