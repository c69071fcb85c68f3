using System.Numerics;
using System.Runtime.CompilerServices;
using CareSim.Model.Numerics;
using CareSim.Model.Parameters;
using CareSim.Model.Randomness;
using CareSim.Model.Workforce;

namespace CareSim.Model.Authority;

// Demand: referrals and a Markov cohort of children in need, on plans and looked after. docs/model.md#demand
public sealed partial class AuthorityBlock
{
    // Per-authority rates, monthly, derived from the starting figures (steady state at the start).
    private double _population0;
    private double _populationGrowth;
    private double _populationNow;
    private double _baseReferralsPerMonth;
    private double _rereferralShare0;
    private double _cinStartShare;
    private double _noFurtherActionShare;
    private double _planStartRate;
    private double _careEntryRate;
    private double _cinCloseRate;
    private double _planEndRate;
    private double _careExitRate;
    private double _casesPerChild;

    // Per-replica state.
    private double[] _referralLevel = null!;
    private double[] _referralNoise = null!;
    private double[] _rereferralNoise = null!;
    private double[] _planEntryNoise = null!;
    private double[] _careEntryNoise = null!;
    private double[] _careExitNoise = null!;
    private double[] _cinOther = null!;
    private double[] _plans = null!;
    private double[] _care = null!;
    private double[][] _referrals12 = null!;
    private double[][] _rereferrals12 = null!;
    private double[] _permanenceFactor = null!;
    private double[] _entries = null!;
    private double[] _exits = null!;

    private void AllocateDemand()
    {
        _referralLevel = BlockMemory.Array<double>(Count);
        _referralNoise = BlockMemory.Array<double>(Count);
        _rereferralNoise = BlockMemory.Array<double>(Count);
        _planEntryNoise = BlockMemory.Array<double>(Count);
        _careEntryNoise = BlockMemory.Array<double>(Count);
        _careExitNoise = BlockMemory.Array<double>(Count);
        _cinOther = BlockMemory.Array<double>(Count);
        _plans = BlockMemory.Array<double>(Count);
        _care = BlockMemory.Array<double>(Count);
        _permanenceFactor = BlockMemory.Array<double>(Count);
        _entries = BlockMemory.Array<double>(Count);
        _exits = BlockMemory.Array<double>(Count);
        _referrals12 = new double[12][];
        _rereferrals12 = new double[12][];
        for (var k = 0; k < 12; k++)
        {
            _referrals12[k] = BlockMemory.Array<double>(Count);
            _rereferrals12[k] = BlockMemory.Array<double>(Count);
        }
    }

    /// <summary>Stocks from the official rates at the start; twelve months of referrals at the starting rate.</summary>
    private void SeedDemand()
    {
        var init = _authority.Initial;
        _population0 = init.Population;
        _populationNow = init.Population;
        _populationGrowth = init.PopulationGrowthPerYear;
        var perChild = init.Population / 10_000;
        var plans = init.CppPer10k * perChild;
        var care = init.ClaPer10k * perChild;
        var cinOther = Math.Max(0, init.CinPer10k * perChild - plans - care);
        _rereferralShare0 = init.RereferralShare;
        _cinStartShare = Math.Min(init.CinStartShare, 1 - init.NoFurtherActionShare);
        _noFurtherActionShare = init.NoFurtherActionShare;
        _casesPerChild = InitialWorkload.Cases(init, _p) / Math.Max(1, cinOther + plans + care);

        // Referrals observed at the start include any scrutiny uplift already in force.
        var referralsPerMonth = init.ReferralsPer10k * perChild / 12;
        _baseReferralsPerMonth = referralsPerMonth / (1 + _p[P.ScrutinyReferralUplift] * (UnderScrutiny(0, -1) ? 1 : 0));

        // This year's shocks to plan and care entries are unknown at the start: drawn from their
        // stationary distribution (draws 50-52: the workforce's setup uses 30-42 of the same stream).
        var setupKey = CounterRng.StreamKey(_seed, _key, RandomStream.Setup, 0);
        var entrySd = _p[P.EntryNoiseSd];
        var careSd = _p[P.CareNoiseSd];
        for (var i = 0; i < Count; i++)
        {
            var rk = CounterRng.ReplicaKey(setupKey, _firstReplica + i);
            _planEntryNoise[i] = entrySd * CounterRng.Normal(rk, 50);
            _careEntryNoise[i] = careSd * CounterRng.Normal(rk, 51);
            _careExitNoise[i] = careSd * CounterRng.Normal(rk, 52);
            _cinOther[i] = cinOther;
            _plans[i] = plans;
            _care[i] = care;
            _permanenceFactor[i] = 1;
            for (var k = 0; k < 12; k++)
            {
                _referrals12[k][i] = referralsPerMonth;
                _rereferrals12[k][i] = referralsPerMonth * _rereferralShare0;
            }
        }
    }

    /// <summary>
    /// Monthly transition rates chosen so that the starting stocks are in steady state with the
    /// starting flows (plans started, care entries and exits), given the starting capacity.
    /// Children-in-need closures take up the balance of referrals.
    /// </summary>
    private void CalibrateDemand(WorkforceReport start)
    {
        var init = _authority.Initial;
        var p = _p;
        var perChild = init.Population / 10_000;
        var cinOther = Math.Max(1, _cinOther[0]);
        var plans = Math.Max(1, _plans[0]);
        var care = Math.Max(1, _care[0]);
        var planStarts = (init.CppStartsPer10k ?? init.CppPer10k * p[P.DefaultPlanStartsRatio]) * perChild / 12;
        // One year's starts and exits are rarely in balance; the stock is taken to be in equilibrium
        // with their mean, so that looked-after numbers move only when the drivers move.
        var careFlow = ((init.ClaStartsPer10k ?? init.ClaPer10k * p[P.DefaultCareStartsRatio])
            + (init.ClaCeasedPer10k ?? init.ClaPer10k * p[P.DefaultCareExitsRatio])) / 2 * perChild / 12;
        var careStarts = careFlow;
        var careExits = careFlow;
        var scrutiny0 = UnderScrutiny(0, -1) ? 1 : 0;

        _planStartRate = planStarts / cinOther / (1 + p[P.ScrutinyPlanUplift] * scrutiny0);
        _planEndRate = planStarts / plans;
        var careFromPlans = planStarts * p[P.PlanToCareShare];
        _careEntryRate = Math.Max(0, careStarts - careFromPlans) / cinOther;
        var permanence0 = PermanenceFactor(start.Pressure[0]);
        var share = p[P.PermanenceExitShare];
        _careExitRate = careExits / care / ((1 - share) + share * permanence0);
        var cinStarts = _baseReferralsPerMonth * (1 + p[P.ScrutinyReferralUplift] * scrutiny0) * _cinStartShare;
        var stepDowns = planStarts * p[P.PlanStepDownShare];
        _cinCloseRate = Math.Max(0.005, (cinStarts + stepDowns) / cinOther - _planStartRate * (1 + p[P.ScrutinyPlanUplift] * scrutiny0) - _careEntryRate);
        for (var i = 0; i < Count; i++) _permanenceFactor[i] = PermanenceFactor(start.Pressure[i]);
    }

    /// <summary>Capacity factor for permanence: (1 / effective pressure)^elasticity, at most 1.25.</summary>
    private double PermanenceFactor(double pressure) => Math.Min(1.25, ModelMath.Pow(PermanenceBase(pressure), _p[P.PermanenceCapacityElasticity]));

    private double PermanenceBase(double pressure) => 1 / Math.Max(0.05, CaseloadPressure.Effective(_p, pressure));

    /// <summary>Under scrutiny: an improvement notice or direction in force, or an inadequate grade published within the window.</summary>
    private bool UnderScrutiny(int i, int month) =>
        _improvementNotice[i] || _underDirection[i] || month - _lastInadequateMonth[i] < _p[P.ScrutinyWindowMonths];

    private void StepDemand(int month, WorkforceReport w)
    {
        var p = _p;
        var streamKey = CounterRng.StreamKey(_seed, _key, RandomStream.Demand, month);
        var years = month / 12.0;
        _populationNow = _population0 * ModelMath.Pow(1 + _populationGrowth, years);
        var trend = ModelMath.Pow(1 + p[P.ReferralTrendPerYear], years) * _populationNow / _population0;
        // Slow AR(1) processes in logs, known (zero) at the start, with median-one factors: the
        // starting level is the median of its forecast.
        var level = new LogAr1(p[P.ReferralLevelSd], p[P.ReferralLevelPersistence]);
        var rereferral = new LogAr1(p[P.RereferralNoiseSd], p[P.RereferralNoisePersistence]);
        var noiseSd = p[P.ReferralNoiseSd];
        var rho = p[P.ReferralNoisePersistence];
        var innovationSd = noiseSd * Math.Sqrt(1 - rho * rho);
        var entrySd = p[P.EntryNoiseSd];
        // Flows into and out of the stocks keep their means (mean-one factors): the stocks start in steady state with them.
        var entryCorrection = -0.5 * entrySd * entrySd;
        var entryPhi = ModelMath.Pow(p[P.EntryNoisePersistence], 1.0 / 12);
        var entryInnovation = entrySd * Math.Sqrt(1 - entryPhi * entryPhi);
        var careSd = p[P.CareNoiseSd];
        var careCorrection = -0.5 * careSd * careSd;
        var careInnovation = careSd * Math.Sqrt(1 - entryPhi * entryPhi);
        var ring = ((month % 12) + 12) % 12;
        var permanenceShare = p[P.PermanenceExitShare];
        var planToCare = p[P.PlanToCareShare];
        var planStepDown = p[P.PlanStepDownShare];
        var referralUplift = p[P.ScrutinyReferralUplift];
        var qualitySlope = p[P.RereferralQualitySlope];
        var planUplift = p[P.ScrutinyPlanUplift];
        var noiseCorrection = 0.5 * noiseSd * noiseSd;

        // The month's six normal draws of every replica, computed together: z[k * n + i] is draw k's.
        var n = Count;
        var z = CounterRng.Normals(streamKey, _firstReplica, n, 0, 5, 1, 2, 3, 4);
        var zLevel = z[..n];
        var zRereferral = z.Slice(n, n);
        var zReferral = z.Slice(2 * n, n);
        var zPlanEntry = z.Slice(3 * n, n);
        var zCareEntry = z.Slice(4 * n, n);
        var zCareExit = z.Slice(5 * n, n);
        // The step in two passes over the replicas, so that the month's exponentials and powers are taken for the
        // whole block at once (ModelMath's vector lanes: the scalar's bits). Working memory, this thread's: the
        // six noises' exponentials (e[k * n + i]) and the permanence factors' powers.
        var work = StepScratch.Values(8 * n);
        var e = work[..(6 * n)];
        var eLevel = e[..n];
        var eReferral = e.Slice(n, n);
        var eRereferral = e.Slice(2 * n, n);
        var ePlanEntry = e.Slice(3 * n, n);
        var eCareEntry = e.Slice(4 * n, n);
        var eCareExit = e.Slice(5 * n, n);
        var permanencePower = work.Slice(6 * n, n);
        var elasticity = p[P.PermanenceCapacityElasticity];

        // 1. The AR(1) noises (vector lanes), and the exponents.
        LogAr1.StepAll(_referralLevel, zLevel, level.Phi, level.Innovation, 0, eLevel); // LogAr1.Median
        LogAr1.StepAll(_rereferralNoise, zRereferral, rereferral.Phi, rereferral.Innovation, 0, eRereferral); // LogAr1.Median
        LogAr1.StepAll(_referralNoise, zReferral, rho, innovationSd, -noiseCorrection, eReferral);
        LogAr1.StepAll(_planEntryNoise, zPlanEntry, entryPhi, entryInnovation, entryCorrection, ePlanEntry);
        LogAr1.StepAll(_careEntryNoise, zCareEntry, entryPhi, careInnovation, careCorrection, eCareEntry);
        LogAr1.StepAll(_careExitNoise, zCareExit, entryPhi, careInnovation, careCorrection, eCareExit);
        for (var i = 0; i < n; i++) permanencePower[i] = PermanenceBase(w.Pressure[i]);
        ModelMath.Exp(e, e);
        ModelMath.Pow(permanencePower, elasticity, permanencePower);

        // 2. The flows: whole vectors of replicas first (DemandFlowLanes), then the scalar loop finishes the rest.
        var scrutinies = work.Slice(7 * n, n);
        for (var i = 0; i < n; i++) scrutinies[i] = UnderScrutiny(i, month) ? 1.0 : 0.0;
        var vectorEnd = Vector.IsHardwareAccelerated ? n - n % Vector<double>.Count : 0;
        DemandFlowLanes(new DemandMonth(trend, referralUplift, qualitySlope, planUplift, planToCare, planStepDown, permanenceShare, ring),
            e, permanencePower, scrutinies, vectorEnd);
        for (var i = vectorEnd; i < n; i++)
        {
            var scrutiny = scrutinies[i];

            // Referrals: base x trend x exp(walk + AR(1) noise) x scrutiny uplift; re-referrals rise as quality falls.
            var baseReferrals = _baseReferralsPerMonth * trend
                * eLevel[i] * eReferral[i]
                * (1 + referralUplift * scrutiny);
            var rereferralShare = Math.Clamp((_rereferralShare0 + qualitySlope * (_quality0[i] - _quality[i]))
                * eRereferral[i], 0.02, 0.6);
            var referrals = baseReferrals * (1 - _rereferralShare0) / (1 - rereferralShare);
            _referrals12[ring][i] = referrals;
            _rereferrals12[ring][i] = referrals * rereferralShare;
            var cinStarts = referrals * _cinStartShare;

            // Children in need (not on a plan or in care): start plans, enter care, or close.
            var cin = _cinOther[i];
            var toPlan = cin * _planStartRate * (1 + planUplift * scrutiny) * ePlanEntry[i];
            var toCare = cin * _careEntryRate * eCareEntry[i];
            var closed = cin * _cinCloseRate;
            var cinOut = toPlan + toCare + closed;
            if (cinOut > 0.95 * cin)
            {
                var scale = 0.95 * cin / cinOut;
                toPlan *= scale;
                toCare *= scale;
                closed *= scale;
            }

            // Plans end: some step down to child in need, some into care, the rest close.
            var planEnds = _plans[i] * Math.Min(0.95, _planEndRate);
            var planIntoCare = planEnds * planToCare;
            var planStepsDown = planEnds * planStepDown;
            var planCloses = planEnds - planIntoCare - planStepsDown;

            // Care exits: ageing out at a fixed rate; permanence slows when capacity is short.
            var permanence = Math.Min(1.25, permanencePower[i]); // PermanenceFactor
            _permanenceFactor[i] = permanence;
            var careExits = _care[i] * Math.Min(0.95, _careExitRate * ((1 - permanenceShare) + permanenceShare * permanence) * eCareExit[i]);

            _cinOther[i] = cin + cinStarts + planStepsDown - toPlan - toCare - closed;
            _plans[i] += toPlan - planEnds;
            _care[i] += toCare + planIntoCare - careExits;
            _entries[i] = cinStarts;
            _exits[i] = closed + planCloses + careExits;
        }
    }

    /// <summary>The month's constants of the flows.</summary>
    private readonly record struct DemandMonth(double Trend, double ReferralUplift, double QualitySlope, double PlanUplift,
        double PlanToCare, double PlanStepDown, double PermanenceShare, int Ring);

    /// <summary>
    /// The flows of StepDemand's second pass for replicas [0, end) (end a multiple of the width), in vector lanes: each lane
    /// computes the scalar loop's expressions with the same IEEE operations in the same order (Vector.Min is Math.Min, the
    /// clamp and the cap on children leaving are selections of the same values), so every value has the scalar's bits.
    /// <paramref name="e"/> holds the six noises' exponentials (e[k * n + i], as StepDemand lays them out).
    /// </summary>
    // Vector<T> code is never precompiled (ReadyToRun): compiled optimised at once, not first as slow tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DemandFlowLanes(in DemandMonth m, ReadOnlySpan<double> e, ReadOnlySpan<double> permanencePower, ReadOnlySpan<double> scrutinies, int end)
    {
        var n = Count;
        var referrals12 = _referrals12[m.Ring];
        var rereferrals12 = _rereferrals12[m.Ring];
        var (one, capShare) = (Vector<double>.One, new Vector<double>(0.95));
        var planEndShare = Math.Min(0.95, _planEndRate);
        for (var i = 0; i < end; i += Vector<double>.Count)
        {
            var scrutiny = new Vector<double>(scrutinies[i..]);
            var baseReferrals = _baseReferralsPerMonth * m.Trend
                * new Vector<double>(e[i..]) * new Vector<double>(e[(n + i)..]) // the level's and the referral noise's
                * (one + m.ReferralUplift * scrutiny);
            var share = (new Vector<double>(_rereferralShare0) + m.QualitySlope * (new Vector<double>(_quality0, i) - new Vector<double>(_quality, i)))
                * new Vector<double>(e[(2 * n + i)..]);
            share = Vector.ConditionalSelect(Vector.LessThan(share, new Vector<double>(0.02)), new Vector<double>(0.02),
                Vector.ConditionalSelect(Vector.GreaterThan(share, new Vector<double>(0.6)), new Vector<double>(0.6), share)); // Math.Clamp
            var referrals = baseReferrals * (1 - _rereferralShare0) / (one - share);
            referrals.CopyTo(referrals12, i);
            (referrals * share).CopyTo(rereferrals12, i);
            var cinStarts = referrals * _cinStartShare;

            var cin = new Vector<double>(_cinOther, i);
            var toPlan = cin * _planStartRate * (one + m.PlanUplift * scrutiny) * new Vector<double>(e[(3 * n + i)..]);
            var toCare = cin * _careEntryRate * new Vector<double>(e[(4 * n + i)..]);
            var closed = cin * _cinCloseRate;
            var cinOut = toPlan + toCare + closed;
            var capped = Vector.GreaterThan(cinOut, capShare * cin);
            var scale = capShare * cin / cinOut;
            toPlan = Vector.ConditionalSelect(capped, toPlan * scale, toPlan);
            toCare = Vector.ConditionalSelect(capped, toCare * scale, toCare);
            closed = Vector.ConditionalSelect(capped, closed * scale, closed);

            var plans = new Vector<double>(_plans, i);
            var planEnds = plans * planEndShare;
            var planIntoCare = planEnds * m.PlanToCare;
            var planStepsDown = planEnds * m.PlanStepDown;
            var planCloses = planEnds - planIntoCare - planStepsDown;

            var permanence = Vector.Min(new Vector<double>(1.25), new Vector<double>(permanencePower[i..])); // PermanenceFactor
            permanence.CopyTo(_permanenceFactor, i);
            var care = new Vector<double>(_care, i);
            var careExits = care * Vector.Min(capShare,
                _careExitRate * (new Vector<double>(1 - m.PermanenceShare) + m.PermanenceShare * permanence) * new Vector<double>(e[(5 * n + i)..]));

            (cin + cinStarts + planStepsDown - toPlan - toCare - closed).CopyTo(_cinOther, i);
            (plans + (toPlan - planEnds)).CopyTo(_plans, i);
            (care + (toCare + planIntoCare - careExits)).CopyTo(_care, i);
            cinStarts.CopyTo(_entries, i);
            (closed + planCloses + careExits).CopyTo(_exits, i);
        }
    }

    /// <summary>Children in the system (in need, on plans, looked after) in replica i, for conservation checks.</summary>
    public double ChildrenInSystem(int i) => _cinOther[i] + _plans[i] + _care[i];

    /// <summary>Children who entered (new child-in-need episodes) in the last month, replica i.</summary>
    public double LastEntries(int i) => _entries[i];

    /// <summary>Children who left (closures and exits from care) in the last month, replica i.</summary>
    public double LastExits(int i) => _exits[i];
}
