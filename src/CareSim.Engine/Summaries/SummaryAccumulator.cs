using CareSim.Engine.Running;
using CareSim.Model.Authority;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;

namespace CareSim.Engine.Summaries;

/// <summary>
/// Turns the stream of block frames into per-month summaries (mean and quantiles over
/// replicas) as soon as a month is complete, so memory holds one month of values, never a
/// replica's whole history. Values are placed by replica index and summed in replica order,
/// so the numbers do not depend on how replicas were split into blocks.
/// </summary>
/// <remarks>
/// With <c>overlap</c>, a completed month is summarised on the thread pool while the engine
/// simulates the next one, and its rows go to <c>onMonth</c> on a writing chain of their own
/// (months in order, one at a time), so neither summarising nor writing holds the engine at the
/// monthly barrier. This relies on <see cref="IRunSink"/>'s two frames: <see cref="CompleteMonth"/>
/// of month t + 1 first waits for month t's summaries, which read month t's frames. The rows
/// are the same either way; <see cref="Drain"/> waits for the rest.
/// </remarks>
public sealed class SummaryAccumulator : IRunSink
{
    /// <summary>Months summarised but not yet written, at most (their rows wait in memory).</summary>
    private const int MaxMonthsWaitingToBeWritten = 4;

    private readonly SimulationPlan _plan;
    private readonly Metric[] _metrics;
    private readonly int[] _metricSlot; // metric -> slot in _values, or -1
    private readonly double[][]?[][] _values; // [month parity][authority][slot][replica], for authorities delivered in several blocks
    private readonly MetricFrame?[][] _whole; // [month parity][authority]: the month's frame of authorities delivered in one block
    private readonly int[] _delivered; // replicas delivered this month, per authority
    private readonly QuantileSelector[] _selectors; // one per worker
    private readonly Action<int, IReadOnlyList<SummaryRow>> _onMonth;
    private readonly bool _overlap;
    private Task _summarising = Task.CompletedTask; // the last completed month's summaries
    private Task _writing = Task.CompletedTask; // the last summarised month's rows going to onMonth
    private readonly Queue<Task> _waitingToBeWritten = new();

    private readonly int[][] _monthsToRi;
    private readonly int[][] _monthsToGood;
    private readonly double[][] _totalCost;
    private readonly int[][] _finalGrade;
    private readonly int[][] _nextGrade;
    private readonly int[][] _monthsToNext;
    private readonly int[] _outcomesDelivered;
    private List<OutcomeSummary>? _outcomeSummaries;
    private List<AuthorityTotals>? _totals;

    /// <param name="onMonth">Called with each completed month's rows (authority order, then metric order), months in order.</param>
    /// <param name="parallelism">Threads that summarise a month's authorities (the numbers never depend on it).</param>
    /// <param name="overlap">Summarise and hand over each month beside the engine's next month (then call <see cref="Drain"/> at the end, or <see cref="Abandon"/> after a failure).</param>
    public SummaryAccumulator(SimulationPlan plan, IReadOnlyList<Metric> metrics, Action<int, IReadOnlyList<SummaryRow>> onMonth, int parallelism = 1, bool overlap = false)
    {
        _plan = plan;
        _metrics = metrics.ToArray();
        _metricSlot = Enumerable.Repeat(-1, MetricCatalog.Count).ToArray();
        for (var s = 0; s < _metrics.Length; s++) _metricSlot[(int)_metrics[s]] = s;
        var n = plan.Authorities.Count;
        _values = [new double[][]?[n], new double[][]?[n]];
        _whole = [new MetricFrame?[n], new MetricFrame?[n]];
        _delivered = new int[n];
        _selectors = new QuantileSelector[Math.Clamp(parallelism, 1, Math.Max(1, n))];
        for (var w = 0; w < _selectors.Length; w++) _selectors[w] = new QuantileSelector(plan.Replicas);
        _onMonth = onMonth;
        _overlap = overlap;
        _monthsToRi = NewJagged<int>(n, plan.Replicas);
        _monthsToGood = NewJagged<int>(n, plan.Replicas);
        _totalCost = NewJagged<double>(n, plan.Replicas);
        _finalGrade = NewJagged<int>(n, plan.Replicas);
        _nextGrade = NewJagged<int>(n, plan.Replicas);
        _monthsToNext = NewJagged<int>(n, plan.Replicas);
        _outcomesDelivered = new int[n];
    }

    private static T[][] NewJagged<T>(int n, int m)
    {
        var result = new T[n][];
        for (var i = 0; i < n; i++) result[i] = new T[m];
        return result;
    }

    /// <remarks>
    /// A frame that holds all of an authority's replicas (one block) is summarised where it is,
    /// without a copy (it stays unchanged until the next month is complete). Blocks are copied
    /// into place by replica index, into one of two sets of arrays by month parity.
    /// </remarks>
    public void AcceptMetrics(int month, int authorityIndex, BlockRange block, MetricFrame frame)
    {
        var parity = month & 1;
        if (block.FirstReplica == 0 && block.Count == _plan.Replicas)
        {
            _whole[parity][authorityIndex] = frame;
        }
        else
        {
            var slots = _values[parity][authorityIndex] ??= NewJagged<double>(_metrics.Length, _plan.Replicas);
            for (var s = 0; s < _metrics.Length; s++)
                Array.Copy(frame.Values[(int)_metrics[s]], 0, slots[s], block.FirstReplica, block.Count);
        }
        _delivered[authorityIndex] += block.Count;
    }

    public void CompleteMonth(int month)
    {
        for (var a = 0; a < _delivered.Length; a++)
        {
            if (_delivered[a] != _plan.Replicas)
                throw new InvalidOperationException($"month {month}: authority {_plan.Authorities[a].Code} delivered {_delivered[a]} of {_plan.Replicas} replicas");
            _delivered[a] = 0;
        }
        if (!_overlap)
        {
            _onMonth(month, Summarise(month));
            return;
        }
        // The previous month's summaries read the frames the engine writes next (month + 1's parity is theirs).
        _summarising.GetAwaiter().GetResult();
        // Months written (or failed: their error comes out here), and a bound on those waiting.
        while (_waitingToBeWritten.TryPeek(out var oldest) && (oldest.IsCompleted || _waitingToBeWritten.Count >= MaxMonthsWaitingToBeWritten))
            _waitingToBeWritten.Dequeue().GetAwaiter().GetResult();
        var summary = Task.Run(() => Summarise(month));
        _summarising = summary;
        _writing = HandOverAsync(_writing, summary, month);
        _waitingToBeWritten.Enqueue(_writing);
    }

    /// <summary>Gives a month's rows to onMonth once the months before it have been given theirs.</summary>
    private async Task HandOverAsync(Task previous, Task<SummaryRow[]> summary, int month)
    {
        await previous.ConfigureAwait(false);
        var rows = await summary.ConfigureAwait(false);
        _onMonth(month, rows);
    }

    /// <summary>Waits until every completed month is summarised and handed over; throws what that threw.</summary>
    public void Drain()
    {
        _summarising.GetAwaiter().GetResult();
        _writing.GetAwaiter().GetResult();
        _waitingToBeWritten.Clear();
    }

    /// <summary>
    /// Waits for the months still being summarised or handed over, ignoring their errors: for a
    /// run that failed or was cancelled, before its files are closed.
    /// </summary>
    public void Abandon()
    {
        try
        {
            Task.WaitAll(_summarising, _writing);
        }
        catch (AggregateException)
        {
            // The run's own error is the one reported.
        }
        _waitingToBeWritten.Clear();
    }

    /// <summary>The completed month's rows; clears the month's frames (one parity).</summary>
    private SummaryRow[] Summarise(int month)
    {
        var parity = month & 1;
        var whole = _whole[parity];
        var values = _values[parity];
        var rows = new SummaryRow[_delivered.Length * _metrics.Length];
        var simMonth = _plan.MonthAt(month);
        var workers = _selectors.Length;
        if (workers == 1) Summarise(0, 1);
        else Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w => Summarise(w, workers));
        Array.Clear(whole);
        return rows;

        // Worker w summarises authorities w, w + workers, ... into their fixed places in the rows.
        void Summarise(int w, int stride)
        {
            var selector = _selectors[w];
            var columns = new double[_metrics.Length][];
            Span<double> means = stackalloc double[_metrics.Length];
            for (var a = w; a < _delivered.Length; a += stride)
            {
                var code = _plan.Authorities[a].Code;
                for (var s = 0; s < _metrics.Length; s++)
                    columns[s] = whole[a] is { } frame ? frame.Values[(int)_metrics[s]] : values[a]![s];
                QuantileSelector.Means(columns, _plan.Replicas, means);
                for (var s = 0; s < _metrics.Length; s++)
                {
                    var quantiles = new double[Quantiles.Levels.Count];
                    selector.DescribeQuantiles(columns[s].AsSpan(0, _plan.Replicas), quantiles);
                    rows[a * _metrics.Length + s] = new SummaryRow(code, simMonth, _metrics[s].Name(), means[s], quantiles);
                }
            }
        }
    }

    /// <summary>Mean (summed in replica order) and the standard quantiles (exactly those of a full sort: <see cref="QuantileSelector"/>).</summary>
    private static (double Mean, double[] Quantiles) Describe(QuantileSelector selector, double[] values)
    {
        var quantiles = new double[Quantiles.Levels.Count];
        var mean = selector.Describe(values, quantiles);
        return (mean, quantiles);
    }

    public void AcceptOutcomes(int authorityIndex, BlockRange block, AuthorityOutcomes outcomes)
    {
        Array.Copy(outcomes.MonthsToRequiresImprovement, 0, _monthsToRi[authorityIndex], block.FirstReplica, block.Count);
        Array.Copy(outcomes.MonthsToGood, 0, _monthsToGood[authorityIndex], block.FirstReplica, block.Count);
        Array.Copy(outcomes.TotalCost, 0, _totalCost[authorityIndex], block.FirstReplica, block.Count);
        Array.Copy(outcomes.FinalGrade, 0, _finalGrade[authorityIndex], block.FirstReplica, block.Count);
        Array.Copy(outcomes.NextInspectionGrade, 0, _nextGrade[authorityIndex], block.FirstReplica, block.Count);
        Array.Copy(outcomes.MonthsToNextInspection, 0, _monthsToNext[authorityIndex], block.FirstReplica, block.Count);
        _outcomesDelivered[authorityIndex] += block.Count;
        _outcomeSummaries = null;
        _totals = null;
    }

    /// <summary>Per-replica months to requires improvement or better (-1 = not within the horizon).</summary>
    public int[] MonthsToRequiresImprovement(int authorityIndex) => _monthsToRi[authorityIndex];

    /// <summary>Per-replica months to good or better (-1 = not within the horizon).</summary>
    public int[] MonthsToGood(int authorityIndex) => _monthsToGood[authorityIndex];

    public double[] TotalCost(int authorityIndex) => _totalCost[authorityIndex];

    /// <summary>Per authority, the months to each outcome (computed once: the results files and the caller all read them).</summary>
    public IReadOnlyList<OutcomeSummary> OutcomeSummaries() => _outcomeSummaries ??= SummariseOutcomes();

    private List<OutcomeSummary> SummariseOutcomes()
    {
        EnsureOutcomes();
        var list = new List<OutcomeSummary>();
        for (var a = 0; a < _plan.Authorities.Count; a++)
        {
            list.Add(SummariseMonths(a, "months_to_requires_improvement", _monthsToRi[a]));
            list.Add(SummariseMonths(a, "months_to_good", _monthsToGood[a]));
            list.Add(SummariseMonths(a, "months_to_next_inspection", _monthsToNext[a]));
        }
        return list;
    }

    /// <summary>
    /// Per authority, the distribution of the overall grade of the first full inspection from the
    /// outcome origin: the share of replicas for each grade, and for none within the horizon.
    /// </summary>
    public IReadOnlyList<(string Authority, string Grade, double Share)> NextInspectionGrades()
    {
        EnsureOutcomes();
        var list = new List<(string, string, double)>();
        for (var a = 0; a < _plan.Authorities.Count; a++)
        {
            var counts = new double[5];
            foreach (var g in _nextGrade[a]) counts[g < 0 ? 4 : g] += 1;
            foreach (var grade in GradeNames.All) list.Add((_plan.Authorities[a].Code, grade.ToKey(), counts[(int)grade] / _plan.Replicas));
            list.Add((_plan.Authorities[a].Code, "none_within_horizon", counts[4] / _plan.Replicas));
        }
        return list;
    }

    public IReadOnlyList<AuthorityTotals> Totals() => _totals ??= SummariseTotals();

    private List<AuthorityTotals> SummariseTotals()
    {
        EnsureOutcomes();
        var list = new List<AuthorityTotals>();
        for (var a = 0; a < _plan.Authorities.Count; a++)
        {
            var (mean, quantiles) = Describe(_selectors[0], _totalCost[a]);
            var shares = new double[4];
            foreach (var g in _finalGrade[a]) shares[g] += 1.0 / _plan.Replicas;
            list.Add(new AuthorityTotals(_plan.Authorities[a].Code, mean, quantiles, shares));
        }
        return list;
    }

    private void EnsureOutcomes()
    {
        for (var a = 0; a < _outcomesDelivered.Length; a++)
        {
            if (_outcomesDelivered[a] != _plan.Replicas)
                throw new InvalidOperationException($"outcomes of authority {_plan.Authorities[a].Code}: {_outcomesDelivered[a]} of {_plan.Replicas} replicas delivered");
        }
    }

    /// <summary>Quantile levels reported for months-to-outcome distributions.</summary>
    public static IReadOnlyList<double> OutcomeLevels { get; } = [0.10, 0.25, 0.50, 0.75, 0.90];

    private OutcomeSummary SummariseMonths(int authorityIndex, string outcome, int[] months)
    {
        var horizon = _plan.HorizonMonths - _plan.OutcomesFromMonth;
        var sorted = new double[months.Length];
        for (var i = 0; i < months.Length; i++) sorted[i] = months[i] < 0 ? double.PositiveInfinity : months[i];
        Array.Sort(sorted);
        var reached = sorted.Count(double.IsFinite);
        var quantiles = OutcomeLevels
            .Select(p =>
            {
                var index = (int)Math.Ceiling(p * sorted.Length) - 1; // the order statistic: no interpolation into censored values
                var value = sorted[Math.Clamp(index, 0, sorted.Length - 1)];
                return double.IsFinite(value) ? value : (double?)null;
            })
            .ToArray();
        var cumulative = new double[Math.Max(0, horizon) + 1];
        foreach (var m in months)
        {
            if (m >= 0 && m < cumulative.Length) cumulative[m] += 1;
        }
        for (var k = 1; k < cumulative.Length; k++) cumulative[k] += cumulative[k - 1];
        for (var k = 0; k < cumulative.Length; k++) cumulative[k] /= months.Length;
        return new OutcomeSummary(_plan.Authorities[authorityIndex].Code, outcome, months.Length, horizon,
            (double)reached / months.Length, quantiles, cumulative);
    }
}
