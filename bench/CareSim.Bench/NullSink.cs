using CareSim.Engine.Running;
using CareSim.Model.Authority;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;

namespace CareSim.Bench;

/// <summary>A sink that keeps nothing: measures the engine alone.</summary>
public sealed class NullSink : IRunSink
{
    public void AcceptMetrics(int month, int authorityIndex, BlockRange block, MetricFrame frame)
    {
    }

    public void CompleteMonth(int month)
    {
    }

    public void AcceptOutcomes(int authorityIndex, BlockRange block, AuthorityOutcomes outcomes)
    {
    }
}
