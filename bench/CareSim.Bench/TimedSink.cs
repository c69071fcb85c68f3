using System.Diagnostics;
using CareSim.Engine.Running;
using CareSim.Model.Authority;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;

namespace CareSim.Bench;

/// <summary>
/// Passes everything to another sink and adds up the time spent in its monthly calls (taking
/// the metrics and completing a month): that sink's own work, measured where it happens rather
/// than as the difference of two whole runs, which the noise of a shared machine can swallow.
/// </summary>
public sealed class TimedSink(IRunSink inner) : IRunSink
{
    private long _ticks;

    /// <summary>Seconds spent in <see cref="AcceptMetrics"/> and <see cref="CompleteMonth"/> so far.</summary>
    public double MonthlySeconds => _ticks / (double)Stopwatch.Frequency;

    public void AcceptMetrics(int month, int authorityIndex, BlockRange block, MetricFrame frame)
    {
        var start = Stopwatch.GetTimestamp();
        inner.AcceptMetrics(month, authorityIndex, block, frame);
        _ticks += Stopwatch.GetTimestamp() - start;
    }

    public void CompleteMonth(int month)
    {
        var start = Stopwatch.GetTimestamp();
        inner.CompleteMonth(month);
        _ticks += Stopwatch.GetTimestamp() - start;
    }

    public void AcceptOutcomes(int authorityIndex, BlockRange block, AuthorityOutcomes outcomes) => inner.AcceptOutcomes(authorityIndex, block, outcomes);
}
