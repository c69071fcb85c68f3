using CareSim.Model.Authority;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;

namespace CareSim.Engine.Running;

/// <summary>
/// Receives a run's outputs as the engine produces them: every authority block's metrics for a
/// month, then the end of that month, then the outcomes. The engines alternate two frames per
/// authority block (by month parity): a frame of month t stays unchanged until
/// <see cref="CompleteMonth"/> of month t + 1 has returned, so a sink may read it beside the
/// simulation of month t + 1 (the summaries do), but must copy what it keeps longer.
/// </summary>
public interface IRunSink
{
    void AcceptMetrics(int month, int authorityIndex, BlockRange block, MetricFrame frame);

    /// <summary>Every block of every authority has delivered month <paramref name="month"/>.</summary>
    void CompleteMonth(int month);

    void AcceptOutcomes(int authorityIndex, BlockRange block, AuthorityOutcomes outcomes);

    /// <summary>
    /// Returns once everything handed over so far is processed (a sink that works beside the
    /// engine, such as the summaries, finishes its months), throwing what that work threw. Engines
    /// call it before a checkpoint stores the months summarised so far.
    /// </summary>
    void Drain()
    {
    }
}

/// <summary>Progress of a run, reported once per completed month.</summary>
public sealed record RunProgress(int MonthsDone, int MonthsTotal, TimeSpan Elapsed)
{
    public double Fraction => MonthsTotal == 0 ? 1 : (double)MonthsDone / MonthsTotal;

    public TimeSpan? EstimatedRemaining => MonthsDone == 0 ? null : Elapsed * ((double)(MonthsTotal - MonthsDone) / MonthsDone);
}

/// <summary>How the replicas are split: block size and concurrency. Never changes the numbers.</summary>
public sealed record RunSettings(int BlockSize = 1000, int MaxConcurrency = 0)
{
    public int EffectiveConcurrency => MaxConcurrency > 0 ? MaxConcurrency : Environment.ProcessorCount;
}

/// <summary>A simulation engine: runs a plan month by month and streams its outputs to a sink.</summary>
public interface ISimulationEngine
{
    string Name { get; }

    Task RunAsync(SimulationPlan plan, RunSettings settings, IRunSink sink, IProgress<RunProgress>? progress, CancellationToken cancellationToken);
}

/// <summary>Fans one sink's calls out to several (e.g. summaries and a per-replica writer).</summary>
public sealed class CompositeSink(params IRunSink[] sinks) : IRunSink
{
    public void AcceptMetrics(int month, int authorityIndex, BlockRange block, MetricFrame frame)
    {
        foreach (var sink in sinks) sink.AcceptMetrics(month, authorityIndex, block, frame);
    }

    public void CompleteMonth(int month)
    {
        foreach (var sink in sinks) sink.CompleteMonth(month);
    }

    public void AcceptOutcomes(int authorityIndex, BlockRange block, AuthorityOutcomes outcomes)
    {
        foreach (var sink in sinks) sink.AcceptOutcomes(authorityIndex, block, outcomes);
    }

    public void Drain()
    {
        foreach (var sink in sinks) sink.Drain();
    }
}
