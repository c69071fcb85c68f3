using CareSim.Model.Grades;
using CareSim.Model.Numerics;
using CareSim.Model.Parameters;
using CareSim.Model.Plan;
using CareSim.Model.Randomness;
using CareSim.Model.Workforce;

namespace CareSim.Model.Authority;

// Ofsted: full inspections, grades and sub-judgements, publication, monitoring visits. docs/model.md#ofsted
public sealed partial class AuthorityBlock
{
    private const int NotScheduled = int.MaxValue;
    private const int NoPending = -1;
    private const int Never = int.MinValue / 2;

    private int[] _grade = null!;
    private int[] _previousGrade = null!;
    private int[] _gradeMonth = null!;
    private int[] _subLeaders = null!;
    private int[] _subProtection = null!;
    private int[] _subCare = null!;
    private int[] _pendingPublish = null!;
    private int[] _pendingGrade = null!;
    private int[] _pendingLeaders = null!;
    private int[] _pendingProtection = null!;
    private int[] _pendingCare = null!;
    private int[] _nextInspection = null!;
    private int[] _nextMonitoring = null!;
    private int[] _lastInadequateMonth = null!;
    private double[] _qualityAtJudgement = null!;
    private bool[] _lastMonitoringAdequate = null!;
    private double[] _monitoringVisit = null!;
    private double[] _monitoringAdequate = null!;

    private void AllocateOfsted()
    {
        _grade = BlockMemory.Array<int>(Count);
        _previousGrade = BlockMemory.Array<int>(Count);
        _gradeMonth = BlockMemory.Array<int>(Count);
        _subLeaders = BlockMemory.Array<int>(Count);
        _subProtection = BlockMemory.Array<int>(Count);
        _subCare = BlockMemory.Array<int>(Count);
        _pendingPublish = BlockMemory.Array<int>(Count);
        _pendingGrade = BlockMemory.Array<int>(Count);
        _pendingLeaders = BlockMemory.Array<int>(Count);
        _pendingProtection = BlockMemory.Array<int>(Count);
        _pendingCare = BlockMemory.Array<int>(Count);
        _nextInspection = BlockMemory.Array<int>(Count);
        _nextMonitoring = BlockMemory.Array<int>(Count);
        _lastInadequateMonth = BlockMemory.Array<int>(Count);
        _qualityAtJudgement = BlockMemory.Array<double>(Count);
        _lastMonitoringAdequate = BlockMemory.Array<bool>(Count);
        _monitoringVisit = BlockMemory.Array<double>(Count);
        _monitoringAdequate = BlockMemory.Array<double>(Count);
        Array.Fill(_pendingPublish, NoPending);
        Array.Fill(_nextInspection, NotScheduled);
        Array.Fill(_nextMonitoring, NotScheduled);
        Array.Fill(_lastInadequateMonth, Never);
    }

    /// <summary>
    /// Applies the history (events before the start) in order, then schedules the next
    /// inspection from the latest grade. An authority without an inspection in its history is
    /// treated as graded at its starting quality two years before the start.
    /// </summary>
    private void SeedOfstedAndInterventionFromHistory()
    {
        var history = _authority.Events.Where(e => e.Month < 0).ToList();
        var inspections = history.OfType<InspectionEvent>().ToList();
        if (inspections.Count == 0)
        {
            var quality = _authority.Initial.Quality
                ?? throw new InvalidOperationException($"authority {_authority.Code} has neither an inspection before the start nor an initial quality");
            var grade = (int)GradeChain.Band(StateOf(quality));
            Array.Fill(_grade, grade);
            Array.Fill(_previousGrade, grade);
            Array.Fill(_gradeMonth, -24);
            Array.Fill(_subLeaders, grade);
            Array.Fill(_subProtection, grade);
            Array.Fill(_subCare, grade);
        }

        foreach (var e in history)
        {
            for (var i = 0; i < Count; i++)
            {
                if (e is InspectionEvent inspection) SeedInspection(i, inspection);
                else ApplyEvent(e, i, e.Month);
            }
        }

        var streamKey = CounterRng.StreamKey(_seed, _key, RandomStream.Setup, 0);
        for (var i = 0; i < Count; i++)
        {
            var rk = CounterRng.ReplicaKey(streamKey, _firstReplica + i);
            if (_pendingPublish[i] == NoPending) ScheduleAfterPublication(i, _gradeMonth[i], CounterRng.Uniform(rk, 20));
            _stability[i] = Stability(i);
        }
    }

    private void SeedInspection(int i, InspectionEvent inspection)
    {
        var overall = (int)inspection.Overall!.Value;
        var published = inspection.PublishedMonth ?? inspection.Month + (int)_p[P.PublicationLagMonths];
        SetPending(i, overall,
            (int)(inspection.Leaders ?? inspection.Overall.Value),
            (int)(inspection.HelpAndProtection ?? inspection.Overall.Value),
            (int)(inspection.ChildrenInCare ?? inspection.Overall.Value),
            published);
        if (published < 0) Publish(i, published, seeding: true);
    }

    private void SetPending(int i, int overall, int leaders, int protection, int care, int publishMonth)
    {
        _pendingGrade[i] = overall;
        _pendingLeaders[i] = leaders;
        _pendingProtection[i] = protection;
        _pendingCare[i] = care;
        _pendingPublish[i] = publishMonth;
        _nextInspection[i] = NotScheduled;
    }

    /// <summary>The next full inspection: uniform within the observed interval for the grade; after inadequate, gated by monitoring.</summary>
    private void ScheduleAfterPublication(int i, int publishedMonth, double u)
    {
        var p = _p;
        var lag = (int)p[P.PublicationLagMonths];
        (double min, double max) = (Grade)_grade[i] switch
        {
            Grade.Inadequate => (double.NaN, double.NaN),
            Grade.RequiresImprovement => (p[P.IntervalRiMin], p[P.IntervalRiMax]),
            Grade.Good => (p[P.IntervalGoodMin], p[P.IntervalGoodMax]),
            _ => (p[P.IntervalOutstandingMin], p[P.IntervalOutstandingMax]),
        };
        _nextInspection[i] = double.IsNaN(min)
            ? NotScheduled // gated: see InadequateReinspectionDue
            : publishedMonth + (int)Math.Round(min + (max - min) * u) - lag;
    }

    /// <summary>Whether the next full inspection falls in this (free) month: by the schedule, or at the overdue rate once the schedule has passed before the first free month.</summary>
    private bool ScheduledInspectionDue(int i, int month, ulong rk)
    {
        var firstFree = Math.Max(0, _historyUntil);
        var lag = (int)_p[P.PublicationLagMonths];
        var dueMonth = _grade[i] == (int)Grade.Inadequate ? _gradeMonth[i] + (int)_p[P.InadequateLatestMonths] - lag : _nextInspection[i];
        if (dueMonth < firstFree) return OverdueInspectionNow(month, CounterRng.Uniform(rk, 6));
        return _grade[i] == (int)Grade.Inadequate ? InadequateReinspectionDue(i, month, CounterRng.Uniform(rk, 0)) : month >= _nextInspection[i];
    }

    private bool InadequateReinspectionDue(int i, int month, double u)
    {
        var p = _p;
        var lag = (int)p[P.PublicationLagMonths];
        var since = month - _gradeMonth[i];
        if (since >= p[P.InadequateLatestMonths] - lag) return true;
        if (since < p[P.InadequateEarliestMonths] - lag) return false;
        var rate = _lastMonitoringAdequate[i] ? p[P.ReinspectionRateAfterProgress] : p[P.ReinspectionRateWithoutProgress];
        return u < 1 - ModelMath.Exp(-rate);
    }

    private void StepOfsted(int month)
    {
        var p = _p;
        InspectionEvent? forcedInspection = null;
        MonitoringVisitEvent? forcedVisit = null;
        if (month < _eventsByMonth.Length)
        {
            foreach (var e in _eventsByMonth[month])
            {
                if (e is InspectionEvent inspection) forcedInspection = inspection;
                else if (e is MonitoringVisitEvent visit) forcedVisit = visit;
            }
        }
        var history = InHistory(month);
        var inspectionKey = CounterRng.StreamKey(_seed, _key, RandomStream.Inspection, month);
        var monitoringKey = CounterRng.StreamKey(_seed, _key, RandomStream.Monitoring, month);

        for (var i = 0; i < Count; i++)
        {
            _monitoringVisit[i] = 0;
            _monitoringAdequate[i] = 0;
            var rk = CounterRng.ReplicaKey(inspectionKey, _firstReplica + i);

            if (_pendingPublish[i] == month) Publish(i, month, seeding: false);

            var due = forcedInspection is not null
                || (!history && _pendingPublish[i] == NoPending && ScheduledInspectionDue(i, month, rk));
            if (due)
            {
                Inspect(i, month, forcedInspection, rk);
                continue;
            }

            if (_grade[i] == (int)Grade.Inadequate && _pendingPublish[i] == NoPending
                && (forcedVisit is not null || (!history && month >= _nextMonitoring[i])))
            {
                MonitoringVisit(i, month, forcedVisit?.Adequate, CounterRng.ReplicaKey(monitoringKey, _firstReplica + i));
            }
        }
    }

    /// <summary>
    /// A full inspection: the overall grade is the band of the replica's state; each sub-judgement
    /// is the band, or a band above or below with the chain's sub-judgement probabilities, the
    /// position it sees shifted by its assumed driver. A forced overall grade moves the state into
    /// that band (the known result is evidence about the state).
    /// </summary>
    private void Inspect(int i, int month, InspectionEvent? forced, ulong rk)
    {
        var p = _p;
        if (forced?.Overall is { } known) MoveToBand(i, known);
        var state = _state[i];
        var overall = forced?.Overall ?? GradeChain.Band(state);
        var leaders = forced?.Leaders ?? SubJudgement(state, p[P.LeadersJudgementWeight] * (_stability[i] - 0.6), CounterRng.Uniform(rk, 2));
        var protection = forced?.HelpAndProtection ?? SubJudgement(state, -p[P.ProtectionJudgementWeight] * CaseloadPressure.Excess(p, _pressure[i]), CounterRng.Uniform(rk, 3));
        var care = forced?.ChildrenInCare ?? SubJudgement(state, -p[P.CareJudgementWeight] * Math.Max(0, 1 - _permanenceFactor[i]), CounterRng.Uniform(rk, 4));

        if (month >= _outcomesFrom)
        {
            var since = month - _outcomesFrom;
            if (_outcomes.NextInspectionGrade[i] < 0)
            {
                _outcomes.NextInspectionGrade[i] = (int)overall;
                _outcomes.MonthsToNextInspection[i] = since;
            }
            if (overall >= Grade.RequiresImprovement && _outcomes.MonthsToRequiresImprovement[i] < 0) _outcomes.MonthsToRequiresImprovement[i] = since;
            if (overall >= Grade.Good && _outcomes.MonthsToGood[i] < 0) _outcomes.MonthsToGood[i] = since;
        }

        var published = forced?.PublishedMonth ?? month + (int)p[P.PublicationLagMonths];
        SetPending(i, (int)overall, (int)leaders, (int)protection, (int)care, published);
        if (published <= month) Publish(i, month, seeding: false);
    }

    /// <summary>A sub-judgement drawn from a uniform: the band above, below, or the band itself.</summary>
    private Grade SubJudgement(int state, double shift, double u)
    {
        var (above, below) = _chain.SubJudgementOdds(state, shift);
        var band = (int)GradeChain.Band(state);
        return u < above ? (Grade)(band + 1) : u < above + below ? (Grade)(band - 1) : (Grade)band;
    }

    /// <summary>
    /// Whether an inspection that fell due before the model could draw one (before the start or
    /// within the history) happens this month: overdue authorities are inspected at the observed
    /// monthly rate (ofsted.overdue_inspection_rate), not all at once.
    /// </summary>
    private bool OverdueInspectionNow(int month, double u) => u < 1 - ModelMath.Exp(-_p[P.OverdueInspectionRate]);

    private void Publish(int i, int month, bool seeding)
    {
        var previous = _grade[i];
        _previousGrade[i] = previous;
        _grade[i] = _pendingGrade[i];
        _subLeaders[i] = _pendingLeaders[i];
        _subProtection[i] = _pendingProtection[i];
        _subCare[i] = _pendingCare[i];
        _gradeMonth[i] = month;
        _pendingPublish[i] = NoPending;
        if (_grade[i] == (int)Grade.Inadequate)
        {
            _lastInadequateMonth[i] = month;
            _qualityAtJudgement[i] = _quality[i];
            _lastMonitoringAdequate[i] = false;
            _nextMonitoring[i] = month + (int)_p[P.MonitoringFirstMonths];
        }
        else
        {
            _nextMonitoring[i] = NotScheduled;
        }
        if (!seeding)
        {
            var u = CounterRng.Uniform(CounterRng.ReplicaKey(CounterRng.StreamKey(_seed, _key, RandomStream.Inspection, month), _firstReplica + i), 5);
            ScheduleAfterPublication(i, month, u);
        }
        OnGradePublished(i, month, previous);
    }

    /// <summary>
    /// A monitoring visit finds adequate progress when practice quality (seen with error) has gained
    /// the required pace since the inadequate grade. A forced (historical) finding is evidence, as a
    /// forced grade is: where this replica's state contradicts it, the state moves just far enough
    /// (one sub-level at a time) for the visit's view to agree with the finding.
    /// </summary>
    private void MonitoringVisit(int i, int month, bool? forcedAdequate, ulong rk)
    {
        var p = _p;
        var error = p[P.MonitoringNoise] * CounterRng.Normal(rk, 0);
        var required = p[P.MonitoringRequiredPace] * (month - _gradeMonth[i]);
        bool Seen(int state) => QualityOfState(state) + error - _qualityAtJudgement[i] >= required;
        var adequate = forcedAdequate ?? Seen(_state[i]);
        if (forcedAdequate is { } known)
        {
            var state = _state[i];
            while (Seen(state) != known && (known ? state < GradeChain.States - 1 : state > 0)) state += known ? 1 : -1;
            if (state != _state[i]) SetState(i, state);
        }
        _lastMonitoringAdequate[i] = adequate;
        _nextMonitoring[i] = month + (int)p[P.MonitoringIntervalMonths];
        _monitoringVisit[i] = 1;
        _monitoringAdequate[i] = adequate ? 1 : 0;
    }
}
