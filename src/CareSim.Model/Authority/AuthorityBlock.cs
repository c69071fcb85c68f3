using CareSim.Model.Commissioners;
using CareSim.Model.Grades;
using CareSim.Model.Markets;
using CareSim.Model.Outputs;
using CareSim.Model.Parameters;
using CareSim.Model.Plan;
using CareSim.Model.Randomness;
using CareSim.Model.Time;
using CareSim.Model.Workforce;

namespace CareSim.Model.Authority;

/// <summary>
/// One local authority for a block of replicas: demand, leadership, practice quality and
/// culture, Ofsted, intervention and finance, as arrays over replicas. Its workforce is a
/// separate <see cref="WorkforceBlock"/> (a separate grain in the grain engine).
/// </summary>
/// <remarks>
/// A month is two calls around the workforce step:
/// <see cref="BeginMonth"/> applies events and decisions, churns leaders and returns the
/// workforce's drivers; <see cref="EndMonth"/> takes the workforce's report and runs demand,
/// quality, Ofsted, intervention and finance. Each mechanism lives in its own partial file.
/// </remarks>
public sealed partial class AuthorityBlock
{
    private readonly AuthorityPlan _authority;
    private readonly ModelParameters _p;
    private readonly ulong _seed;
    private readonly ulong _key;
    private readonly int _firstReplica;
    private readonly SimMonth _start;
    private readonly int _historyUntil;
    private readonly int _outcomesFrom;
    private readonly TimelineEvent[][] _eventsByMonth;

    private readonly WorkforceDrivers _drivers;
    // Two frames, used by month parity: a month's frame stays unchanged while the next month is
    // simulated, so that summaries of month t can run beside month t + 1 (IRunSink's contract).
    private readonly MetricFrame _metricsEven;
    private readonly MetricFrame _metricsOdd;
    private readonly MarketSubmission _market;
    private readonly CommissionerReport _commissionerReport;
    private readonly AuthorityOutcomes _outcomes;
    private readonly double[] _movesOut;
    private readonly double[] _referralsLast12;
    private readonly double[] _rereferralsLast12;

    public int Count { get; }
    public string Code => _authority.Code;
    public BlockRange Block => new(_firstReplica, Count);

    public AuthorityBlock(SimulationPlan plan, int authorityIndex, BlockRange block)
    {
        _authority = plan.Authorities[authorityIndex];
        _p = _authority.Parameters;
        _seed = plan.Seed;
        _key = CounterRng.AuthorityKey(_authority.Code);
        _firstReplica = block.FirstReplica;
        Count = block.Count;
        _start = plan.Start;
        _historyUntil = plan.HistoryUntilMonth;
        _outcomesFrom = plan.OutcomesFromMonth;

        _eventsByMonth = new TimelineEvent[plan.HorizonMonths][];
        for (var m = 0; m < plan.HorizonMonths; m++)
            _eventsByMonth[m] = _authority.Events.Where(e => e.Month == m).ToArray();

        _drivers = new WorkforceDrivers(Count)
        {
            SharedMarket = plan.LabourMarkets[_authority.LabourMarketIndex].AuthorityIndices.Count > 1,
        };
        _metricsEven = new MetricFrame(Count);
        _metricsOdd = new MetricFrame(Count);
        _market = new MarketSubmission(Count);
        _commissionerReport = new CommissionerReport(Count);
        _outcomes = new AuthorityOutcomes(Count);
        _movesOut = BlockMemory.Array<double>(Count);
        _referralsLast12 = BlockMemory.Array<double>(Count);
        _rereferralsLast12 = BlockMemory.Array<double>(Count);
        Array.Fill(_outcomes.MonthsToRequiresImprovement, -1);
        Array.Fill(_outcomes.MonthsToGood, -1);
        Array.Fill(_outcomes.NextInspectionGrade, -1);
        Array.Fill(_outcomes.MonthsToNextInspection, -1);

        AllocateDemand();
        AllocateLeadership();
        AllocateQuality();
        AllocateOfsted();
        AllocateIntervention();
        AllocateFinance();

        SeedLeadership();
        SeedOfstedAndInterventionFromHistory();
        SeedQuality();
        SeedDemand();
        _startingBudget = _budget;
    }

    /// <summary>
    /// The conditions at the start, for seeding the workforce (which needs them to anchor its
    /// leaver hazard). Call once, before the first month.
    /// </summary>
    public WorkforceDrivers InitialWorkforceDrivers()
    {
        FillDrivers(month: -1, market: null);
        return _drivers;
    }

    /// <summary>
    /// Completes seeding with the workforce's starting state (caseload pressure anchors demand
    /// and quality). Call once, after constructing the workforce.
    /// </summary>
    public void CompleteSeeding(WorkforceReport start)
    {
        CalibrateDemand(start);
        CalibrateQualityAndMorale(start);
    }

    /// <summary>Applies this month's events and last month's decisions, churns leaders, and returns the workforce's drivers.</summary>
    public WorkforceDrivers BeginMonth(AuthorityMonthInput input)
    {
        var month = input.Month;
        ResetMonthlyCosts();
        AgeLeaders();
        ApplyCommissionerDirective(month, input.Commissioner);
        ApplyEvents(month);
        UpdateProgrammes(month);
        StepLeadership(month);
        ExecuteRemovals(month);
        FillDrivers(month, input.Market);
        return _drivers;
    }

    /// <summary>Runs demand, quality, Ofsted, intervention and finance with the month's workforce.</summary>
    public AuthorityMonthOutput EndMonth(int month, WorkforceReport workforce)
    {
        StepDemand(month, workforce);
        ObserveDemand(month);
        StepSupport();
        StepQuality(month, workforce);
        StepOfsted(month);
        StepFinance(month, workforce);
        WriteOutputs(month, workforce);
        return new AuthorityMonthOutput(month, FrameOf(month), _market, _commissionerReport);
    }

    /// <summary>Per-replica outcomes so far (final after the last month).</summary>
    public AuthorityOutcomes Outcomes
    {
        get
        {
            for (var i = 0; i < Count; i++)
            {
                _outcomes.TotalCost[i] = _cumulativeCost[i];
                _outcomes.FinalGrade[i] = _grade[i];
            }
            return _outcomes;
        }
    }

    private bool InHistory(int month) => month < _historyUntil;

    private MetricFrame FrameOf(int month) => (month & 1) == 0 ? _metricsEven : _metricsOdd;

    private void ApplyEvents(int month)
    {
        if (month < 0 || month >= _eventsByMonth.Length) return;
        foreach (var e in _eventsByMonth[month])
        {
            for (var i = 0; i < Count; i++) ApplyEvent(e, i, month);
        }
    }

    /// <summary>Applies an event to one replica; shared by seeding (history) and the monthly step.</summary>
    private void ApplyEvent(TimelineEvent e, int i, int month)
    {
        switch (e)
        {
            case LeaderChangeEvent change:
                ChangeLeader(i, change.Role, change.Interim, countChange: month >= 0);
                if (month < 0) _tenure[(int)change.Role][i] = -1 - change.Month; // tenure as at month -1
                break;
            case LeaderMadePermanentEvent permanent:
                _interim[(int)permanent.Role][i] = false;
                break;
            case ImprovementNoticeEvent:
                _improvementNotice[i] = true;
                break;
            case DirectionEvent direction:
                _underDirection[i] = true;
                if (direction.WithCommissioner && !_commissioner[i]) AppointCommissioner(i, e.Month);
                break;
            case CommissionerReviewEvent review:
                if (review.Forced is { } forced)
                {
                    _reviewDue[i] = -1;
                    ApplyRecommendation(i, forced, e.Month);
                }
                else if (_commissioner[i] && month >= 0)
                {
                    // The review concludes now and the commissioner decides, even within the history window.
                    _reviewDue[i] = month;
                    _reviewByTimeline[i] = true;
                }
                break;
            case DirectionLiftedEvent:
                LiftIntervention(i);
                break;
            case RemovalEvent:
                _removalMonth[i] = e.Month;
                if (month < 0) TransferToTrust(i, e.Month, seeding: true);
                break;
            case PartnershipEvent:
                _partnered[i] = true;
                break;
            case InvestmentEvent investment:
                if (i == 0) ApplyInvestment(investment, month);
                break;
            case BudgetEvent budget:
                if (i == 0) _budget = budget.AnnualGbpM;
                break;
            case ProgrammeEvent programme:
                if (i == 0 && month >= 0) _programmes.Add(programme);
                break;
            case InspectionEvent or MonitoringVisitEvent:
                break; // handled in StepOfsted, which needs the month's quality
            case ObservedEvent:
                break; // handed to the workforce in its drivers, and to demand after its step
            default:
                throw new InvalidOperationException($"unhandled event {e.GetType().Name}");
        }
    }

    private void FillDrivers(int month, MarketAllocation? market)
    {
        var d = _drivers;
        d.Month = month;
        d.CalendarMonth = _start.AddMonths(Math.Max(0, month)).Month;
        d.PostsAdded = _postsAddedThisMonth;
        d.ExtraAcademyIntakePerYear = _extraAcademyIntake;
        d.Observation = month >= 0 ? ObservedIn(month)?.Workforce : null;
        _postsAddedThisMonth = 0;
        var disruptionMonths = _p[P.RemovalDisruptionMonths];
        for (var i = 0; i < Count; i++)
        {
            d.Cases[i] = _casesPerChild * (_cinOther[i] + _plans[i] + _care[i]);
            d.LeadershipStability[i] = _stability[i];
            d.MoraleDrop[i] = Math.Max(0, _morale0[i] - _morale[i]);
            d.Inadequate[i] = _grade[i] == (int)Grade.Inadequate ? 1 : 0;
            d.GoodOrBetter[i] = _grade[i] >= (int)Grade.Good ? 1 : 0;
            d.Disruption[i] = _removed[i] && month - _removedMonth[i] < disruptionMonths ? 1 : 0;
            d.MarketArrivals[i] = market?.Arrivals[i] ?? 0;
            _movesOut[i] = market?.Departures[i] ?? 0;
            d.AgencyAvailability[i] = market?.AgencyAvailability[i] ?? 1;
        }
    }

    /// <remarks>
    /// Written metric by metric rather than replica by replica (values that are plain copies as
    /// copies, the 12-month sums once): the same expressions, so the same numbers, with far fewer
    /// memory streams and loads per replica than one loop over 40 arrays.
    /// </remarks>
    private void WriteOutputs(int month, WorkforceReport w)
    {
        var m = FrameOf(month);
        var n = Count;
        Array.Copy(w.PermanentFte, m[Metric.SwFte], n);
        Array.Copy(w.AgencyFte, m[Metric.AgencyFte], n);
        Array.Copy(w.TurnoverRate, m[Metric.TurnoverRate], n);
        Array.Copy(w.Caseload, m[Metric.Caseload], n);
        Array.Copy(w.Establishment, m[Metric.Establishment], n);
        Array.Copy(w.Absence, m[Metric.AbsenceRate], n);
        Array.Copy(_drivers.MarketArrivals, m[Metric.StaffMovesIn], n);
        Array.Copy(_movesOut, m[Metric.StaffMovesOut], n);
        Array.Copy(_quality, m[Metric.PracticeQuality], n);
        Array.Copy(_culture, m[Metric.Culture], n);
        Array.Copy(_morale, m[Metric.Morale], n);
        Array.Copy(_stability, m[Metric.LeadershipStability], n);
        Array.Copy(_support, m[Metric.Support], n);
        Array.Copy(_dcsChanges, m[Metric.DcsChanges], n);
        Array.Copy(_monitoringVisit, m[Metric.MonitoringVisit], n);
        Array.Copy(_monitoringAdequate, m[Metric.MonitoringAdequate], n);
        Array.Copy(_monthCost, m[Metric.Cost], n);

        Array.Copy(w.LeaversToOtherAuthority, _market.LeaversToOtherAuthority, n);
        Array.Copy(w.LeaversToAgency, _market.LeaversToAgency, n);
        Array.Copy(w.AgencyRequest, _market.AgencyRequest, n);
        Array.Copy(w.Vacancies, _market.Vacancies, n);
        Array.Copy(w.Attractiveness, _market.Attractiveness, n);
        Array.Copy(w.Establishment, _market.Establishment, n);

        var permanentFte = w.PermanentFte;
        var agencyFte = w.AgencyFte;
        var vacancyFte = w.Vacancies;
        var agencyRate = m[Metric.AgencyRate];
        var vacancyRate = m[Metric.VacancyRate];
        for (var i = 0; i < n; i++)
        {
            var permanent = permanentFte[i];
            var agency = agencyFte[i];
            agencyRate[i] = agency / Math.Max(1e-9, agency + permanent);
            vacancyRate[i] = vacancyFte[i] / Math.Max(1e-9, vacancyFte[i] + permanent);
        }

        var referrals = Last12Months.Sum(_referrals12, _referralsLast12, n);
        var rereferrals = Last12Months.Sum(_rereferrals12, _rereferralsLast12, n);
        var per10k = 10_000 / _populationNow;
        var referralsPer10k = m[Metric.ReferralsPer10k];
        var rereferralRate = m[Metric.RereferralRate];
        var assessmentsPer10k = m[Metric.AssessmentsPer10k];
        var cinPer10k = m[Metric.CinPer10k];
        var cppPer10k = m[Metric.CppPer10k];
        var claPer10k = m[Metric.ClaPer10k];
        for (var i = 0; i < n; i++)
        {
            referralsPer10k[i] = referrals[i] * per10k;
            rereferralRate[i] = rereferrals[i] / Math.Max(1e-9, referrals[i]);
            assessmentsPer10k[i] = referrals[i] * (1 - _noFurtherActionShare) * per10k;
            cinPer10k[i] = (_cinOther[i] + _plans[i] + _care[i]) * per10k;
            cppPer10k[i] = _plans[i] * per10k;
            claPer10k[i] = _care[i] * per10k;
        }

        var gradeInadequate = m[Metric.GradePInadequate];
        var gradeRequiresImprovement = m[Metric.GradePRequiresImprovement];
        var gradeGood = m[Metric.GradePGood];
        var gradeOutstanding = m[Metric.GradePOutstanding];
        var judgedInadequate = m[Metric.JudgedPInadequate];
        var judgedRequiresImprovement = m[Metric.JudgedPRequiresImprovement];
        var judgedGood = m[Metric.JudgedPGood];
        var judgedOutstanding = m[Metric.JudgedPOutstanding];
        for (var i = 0; i < n; i++)
        {
            var grade = _grade[i];
            gradeInadequate[i] = grade == (int)Grade.Inadequate ? 1 : 0;
            gradeRequiresImprovement[i] = grade == (int)Grade.RequiresImprovement ? 1 : 0;
            gradeGood[i] = grade == (int)Grade.Good ? 1 : 0;
            gradeOutstanding[i] = grade == (int)Grade.Outstanding ? 1 : 0;

            // The grade an inspection this month would give: the band of the state.
            var band = (int)GradeChain.Band(_state[i]);
            judgedInadequate[i] = band == 0 ? 1 : 0;
            judgedRequiresImprovement[i] = band == 1 ? 1 : 0;
            judgedGood[i] = band == 2 ? 1 : 0;
            judgedOutstanding[i] = band == 3 ? 1 : 0;
        }

        var underDirection = m[Metric.UnderDirection];
        var commissioner = m[Metric.Commissioner];
        var removed = m[Metric.Removed];
        var active = _commissionerReport.Active;
        var reviewDue = _commissionerReport.ReviewDue;
        var capacity = _commissionerReport.Capacity;
        for (var i = 0; i < n; i++)
        {
            underDirection[i] = _underDirection[i] ? 1 : 0;
            commissioner[i] = _commissioner[i] ? 1 : 0;
            removed[i] = _removed[i] ? 1 : 0;
            active[i] = _commissioner[i] ? 1 : 0;
            reviewDue[i] = _commissioner[i] && _reviewDue[i] == month && (!InHistory(month) || _reviewByTimeline[i]) ? 1 : 0;
            capacity[i] = CapacityToImprove(i);
        }
    }

}
