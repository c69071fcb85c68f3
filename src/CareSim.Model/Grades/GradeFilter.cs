using CareSim.Model.Numerics;
using CareSim.Model.Plan;

namespace CareSim.Model.Grades;

/// <summary>
/// What the grade model believes about an authority at a month: a probability over its own
/// persistent effect (a node of its distribution) and its state (band and sub-level), and the
/// grades that set its support.
/// </summary>
public sealed class FilterState
{
    internal FilterState(double[] probability, int month, Grade? last, Grade? previous, bool lastAcrossTheBoard)
    {
        Probability = probability;
        Month = month;
        Last = last;
        Previous = previous;
        LastAcrossTheBoard = lastAcrossTheBoard;
    }

    /// <summary>Probability of (effect node k, state s) at index k × <see cref="GradeChain.States"/> + s.</summary>
    public double[] Probability { get; }
    public int Month { get; internal set; }
    public Grade? Last { get; internal set; }
    public Grade? Previous { get; internal set; }
    public bool LastAcrossTheBoard { get; internal set; }

    internal FilterState Copy(double[]? probability = null, Grade? last = null, bool keepGrades = true) =>
        new(probability ?? (double[])Probability.Clone(), Month, keepGrades ? Last : last, keepGrades ? Previous : Last, keepGrades && LastAcrossTheBoard);
}

/// <summary>
/// The exact filter of the grade model (docs/model.md#grades): the forward algorithm of the hidden
/// Markov chain <see cref="GradeChain"/> over its twelve states and three Gauss-Hermite nodes of
/// the authority's own effect, month by month with the drive of each month (the workforce census
/// in force, the support its grades and trusts bring). An inspection multiplies in the likelihood
/// of its judgements. It gives the log-likelihood of a record (the fit), the belief at a month
/// (the simulation's starting distribution) and the predicted grade of later inspections (backtests).
/// </summary>
public sealed class GradeFilter
{
    private const int S = GradeChain.States;

    // Three-point Gauss-Hermite rule for a standard normal: exact for polynomials up to degree five.
    private static readonly double[] NodeZ = [-Math.Sqrt(3), 0, Math.Sqrt(3)];
    private static readonly double[] NodeWeight = [1 / 6.0, 2 / 3.0, 1 / 6.0];

    private readonly GradeChain _chain;
    private readonly double _adviserSupport, _commissionerSupport, _trustSupport;

    /// <param name="adviserSupport">Support of an adviser (a direction without a commissioner).</param>
    /// <param name="commissionerSupport">Support of a commissioner.</param>
    /// <param name="trustSupport">Support of a children's services trust.</param>
    public GradeFilter(GradeChain chain, double adviserSupport, double commissionerSupport, double trustSupport)
    {
        _chain = chain;
        _adviserSupport = adviserSupport;
        _commissionerSupport = commissionerSupport;
        _trustSupport = trustSupport;
    }

    public GradeChain Chain => _chain;

    /// <summary>Nodes of the authority's own effect.</summary>
    public static int Nodes => NodeZ.Length;

    /// <summary>The authority's own effect at node k: ω z_k.</summary>
    public double Effect(int node) => _chain.AuthoritySd * NodeZ[node];

    /// <summary>
    /// Runs the filter over the record from its first inspection to <paramref name="untilMonth"/>
    /// and returns the log-likelihood of the inspections started by then; <paramref name="state"/> is
    /// the belief at <paramref name="untilMonth"/>. A record with no inspection gives the prior
    /// (every state equally likely).
    /// </summary>
    public double Run(GradeRecord record, int untilMonth, out FilterState state)
    {
        var inspections = record.Inspections.Where(i => i.StartMonth <= untilMonth).ToList();
        var start = inspections.Count > 0 ? inspections[0].StartMonth : untilMonth;
        state = Prior(start);
        var events = new List<(int Month, int Order, GradeObservation Inspection)>();
        foreach (var i in inspections)
        {
            events.Add((i.StartMonth, 1, i));
            if (i.PublishedMonth <= untilMonth) events.Add((Math.Max(i.PublishedMonth, i.StartMonth), 0, i));
        }
        events.Sort((a, b) => a.Month != b.Month ? a.Month.CompareTo(b.Month) : a.Order.CompareTo(b.Order));
        var logLikelihood = 0.0;
        Span<double> likelihood = stackalloc double[S];
        foreach (var (month, order, inspection) in events)
        {
            Propagate(state, record, month);
            if (order == 0)
            {
                state.Previous = state.Last;
                state.Last = inspection.Overall;
                state.LastAcrossTheBoard = inspection.AcrossTheBoard;
            }
            else
            {
                InspectionLikelihood(inspection, likelihood);
                logLikelihood += Observe(state.Probability, likelihood);
            }
        }
        Propagate(state, record, untilMonth);
        return logLikelihood;
    }

    /// <summary>
    /// The predicted overall grade of inspections at each of <paramref name="months"/> (ascending,
    /// each at or after the state's month): the belief carried forward, each earlier inspection's
    /// unknown grade marginalised (an inadequate one brings its support).
    /// </summary>
    public double[][] PredictGrades(FilterState state, GradeRecord record, IReadOnlyList<int> months)
    {
        var branches = new List<FilterState> { state.Copy() };
        var result = new double[months.Count][];
        for (var m = 0; m < months.Count; m++)
        {
            var p = new double[4];
            foreach (var branch in branches)
            {
                Propagate(branch, record, Math.Max(branch.Month, months[m]));
                for (var k = 0; k < Nodes; k++)
                    for (var s = 0; s < S; s++) p[(int)GradeChain.Band(s)] += branch.Probability[k * S + s];
            }
            var total = p.Sum();
            result[m] = p.Select(x => x / total).ToArray();
            var next = new List<FilterState>();
            foreach (var branch in branches)
            {
                var inadequate = new double[branch.Probability.Length];
                var better = new double[branch.Probability.Length];
                for (var j = 0; j < inadequate.Length; j++)
                {
                    if (GradeChain.Band(j % S) == Grade.Inadequate) inadequate[j] = branch.Probability[j];
                    else better[j] = branch.Probability[j];
                }
                Merge(next, branch.Copy(inadequate, Grade.Inadequate, keepGrades: false));
                Merge(next, branch.Copy(better, Grade.RequiresImprovement, keepGrades: false));
            }
            branches = next;
        }
        return result;
    }

    /// <summary>Draws (effect, state) from a belief with a uniform.</summary>
    public (double Effect, int State) Sample(FilterState state, double u)
    {
        var p = state.Probability;
        var total = 0.0;
        for (var j = 0; j < p.Length; j++) total += p[j];
        var target = u * total;
        var cumulative = 0.0;
        var index = p.Length - 1;
        for (var j = 0; j < p.Length; j++)
        {
            cumulative += p[j];
            if (cumulative >= target && p[j] > 0)
            {
                index = j;
                break;
            }
        }
        return (Effect(index / S), index % S);
    }

    /// <summary>P(grade) of an inspection at the belief's month.</summary>
    public double[] GradeDistribution(FilterState state)
    {
        var p = new double[4];
        for (var j = 0; j < state.Probability.Length; j++) p[(int)GradeChain.Band(j % S)] += state.Probability[j];
        var total = p.Sum();
        return p.Select(x => x / total).ToArray();
    }

    private static FilterState Prior(int month)
    {
        var p = new double[Nodes * S];
        for (var k = 0; k < Nodes; k++)
            for (var s = 0; s < S; s++) p[k * S + s] = NodeWeight[k] / S;
        return new FilterState(p, month, null, null, false);
    }

    /// <summary>The drive of a month from the workforce terms (the own effect and the support are added per node and per band).</summary>
    public double WorkforceDrive(GradeRecord record, int month)
    {
        var (agency, vacancy, turnover) = record.RatesAt(month);
        return _chain.Workforce(agency, vacancy, turnover);
    }

    /// <summary>External support implied by the grades (an adviser, or a commissioner after an across-the-board or repeated inadequate grade) and a trust.</summary>
    public double Support(GradeRecord record, int month, Grade? last, Grade? previous, bool across)
    {
        var direction = last == Grade.Inadequate ? (across || previous == Grade.Inadequate ? _commissionerSupport : _adviserSupport) : 0;
        var trust = record.InTrustAt(month) ? _trustSupport : 0;
        return 1 - (1 - direction) * (1 - trust);
    }

    /// <summary>Moves the belief forward to a month, in pieces over which the drive is constant (the census, trust spells, the start of ILACS and published grades change it).</summary>
    private void Propagate(FilterState state, GradeRecord record, int month)
    {
        var p = state.Probability;
        Span<double> moved = stackalloc double[S];
        while (state.Month < month)
        {
            var next = month;
            if (state.Month < GradeObservation.IlacsFrom && GradeObservation.IlacsFrom < next) next = GradeObservation.IlacsFrom;
            foreach (var w in record.Workforce)
                if (w.FromMonth > state.Month && w.FromMonth < next) next = w.FromMonth;
            foreach (var t in record.Trusts)
            {
                if (t.FromMonth > state.Month && t.FromMonth < next) next = t.FromMonth;
                if (t.ToMonth > state.Month && t.ToMonth < next) next = t.ToMonth;
            }
            var drive = WorkforceDrive(record, state.Month);
            var support = Support(record, state.Month, state.Last, state.Previous, state.LastAcrossTheBoard);
            var monitored = state.Month >= GradeObservation.IlacsFrom && state.Last == Grade.Inadequate;
            var months = next - state.Month;
            for (var k = 0; k < Nodes; k++)
            {
                var matrix = _chain.MonthlyMatrix(drive + Effect(k), support, monitored);
                var row = new Span<double>(p, k * S, S);
                for (var n = 0; n < months; n++)
                {
                    moved.Clear();
                    for (var from = 0; from < S; from++)
                    {
                        var mass = row[from];
                        if (mass == 0) continue;
                        for (var to = Math.Max(0, from - 2 * GradeChain.SubLevels); to <= Math.Min(S - 1, from + 2 * GradeChain.SubLevels); to++)
                            moved[to] += mass * matrix[from, to];
                    }
                    moved.CopyTo(row);
                }
            }
            state.Month = next;
        }
    }

    /// <summary>Multiplies in an observation's likelihood per state, renormalises and returns the log of the evidence.</summary>
    private static double Observe(double[] p, ReadOnlySpan<double> likelihood)
    {
        var total = 0.0;
        for (var j = 0; j < p.Length; j++)
        {
            p[j] *= likelihood[j % S];
            total += p[j];
        }
        if (total <= 0 || !double.IsFinite(total)) return -1e6; // impossible under these parameters
        for (var j = 0; j < p.Length; j++) p[j] /= total;
        return ModelMath.Log(total);
    }

    private static void Merge(List<FilterState> branches, FilterState branch)
    {
        var same = branches.FirstOrDefault(b => b.Last == branch.Last && (b.Previous == Grade.Inadequate) == (branch.Previous == Grade.Inadequate));
        if (same is null)
        {
            branches.Add(branch);
            return;
        }
        for (var j = 0; j < same.Probability.Length; j++) same.Probability[j] += branch.Probability[j];
    }

    /// <summary>The likelihood, per state, of an inspection's judgements: the overall grade is the band; each sub-judgement as <see cref="GradeChain.SubJudgementProbability"/>.</summary>
    public void InspectionLikelihood(GradeObservation i, Span<double> into)
    {
        for (var s = 0; s < S; s++)
        {
            if (GradeChain.Band(s) != i.Overall)
            {
                into[s] = 0;
                continue;
            }
            var l = 1.0;
            if (i.Leaders is { } leaders) l *= _chain.SubJudgementProbability(s, leaders);
            if (i.HelpAndProtection is { } protection) l *= _chain.SubJudgementProbability(s, protection);
            if (i.ChildrenInCare is { } care) l *= _chain.SubJudgementProbability(s, care);
            into[s] = l;
        }
    }
}
