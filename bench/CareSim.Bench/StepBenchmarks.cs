using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using CareSim.Model.Authority;
using CareSim.Model.Commissioners;
using CareSim.Model.Markets;
using CareSim.Model.Plan;
using CareSim.Model.Workforce;
using CareSim.Scenarios;

namespace CareSim.Bench;

/// <summary>
/// The model's monthly step for one block of replicas of the Sefton scenario (begin month,
/// workforce, end month, labour market, commissioner: what the reference engine does per block
/// and month), from a fresh state, 120 months per invocation. One operation is one
/// block-month; the extra columns divide by the block's replicas. Allocated bytes per
/// block-month that do not grow with the block size mean no allocation per replica.
/// </summary>
[Config(typeof(StepConfig))]
public class StepBenchmarks
{
    public const int Months = 120;

    private SimulationPlan _plan = null!;
    private BlockWorld _world = null!;

    [Params(1, 100, 1000)]
    public int Replicas { get; set; }

    [GlobalSetup]
    public void Setup() => _plan = Scenarios.Load("sefton-2022-23.yaml", Replicas, Months);

    [IterationSetup]
    public void FreshState() => _world = new BlockWorld(_plan, new BlockRange(0, Replicas));

    [Benchmark(OperationsPerInvoke = Months)]
    public void MonthlyStep()
    {
        for (var month = 0; month < Months; month++) _world.Step(month);
    }

    /// <summary>One block of every authority, market and commissioner; buffers reused as in the reference engine.</summary>
    internal sealed class BlockWorld
    {
        private readonly SimulationPlan _plan;
        private readonly AuthorityBlock[] _authorities;
        private readonly WorkforceBlock[] _workforces;
        private readonly LabourMarketBlock[] _markets;
        private readonly CommissionerBlock[] _commissioners;
        private readonly MarketAllocation?[] _allocations;
        private readonly CommissionerDirective?[] _directives;
        private readonly AuthorityMonthOutput[] _outputs;
        private readonly MarketSubmission[][] _submissions;
        private readonly CommissionerReport[][] _reports;

        public BlockWorld(SimulationPlan plan, BlockRange block)
        {
            _plan = plan;
            var n = plan.Authorities.Count;
            _authorities = new AuthorityBlock[n];
            _workforces = new WorkforceBlock[n];
            for (var a = 0; a < n; a++)
            {
                _authorities[a] = new AuthorityBlock(plan, a, block);
                _workforces[a] = new WorkforceBlock(plan.Authorities[a], plan.Seed, block, _authorities[a].InitialWorkforceDrivers());
                _authorities[a].CompleteSeeding(_workforces[a].InitialReport);
            }
            _markets = plan.LabourMarkets.Select((_, m) => new LabourMarketBlock(plan, m, block)).ToArray();
            _commissioners = plan.Commissioners.Select((_, c) => new CommissionerBlock(plan, c, block)).ToArray();
            _allocations = new MarketAllocation?[n];
            _directives = new CommissionerDirective?[n];
            _outputs = new AuthorityMonthOutput[n];
            _submissions = plan.LabourMarkets.Select(m => new MarketSubmission[m.AuthorityIndices.Count]).ToArray();
            _reports = plan.Commissioners.Select(c => new CommissionerReport[c.AuthorityIndices.Count]).ToArray();
        }

        public void Step(int month)
        {
            for (var a = 0; a < _authorities.Length; a++)
            {
                var drivers = _authorities[a].BeginMonth(new AuthorityMonthInput(month, _allocations[a], _directives[a]));
                var report = _workforces[a].Step(drivers);
                _outputs[a] = _authorities[a].EndMonth(month, report);
            }
            for (var m = 0; m < _markets.Length; m++)
            {
                var members = _plan.LabourMarkets[m].AuthorityIndices;
                for (var k = 0; k < members.Count; k++) _submissions[m][k] = _outputs[members[k]].Market;
                var allocations = _markets[m].Clear(_submissions[m]);
                for (var k = 0; k < members.Count; k++) _allocations[members[k]] = allocations[k];
            }
            for (var c = 0; c < _commissioners.Length; c++)
            {
                var members = _plan.Commissioners[c].AuthorityIndices;
                for (var k = 0; k < members.Count; k++) _reports[c][k] = _outputs[members[k]].Commissioner;
                var directives = _commissioners[c].Decide(month, _reports[c]);
                for (var k = 0; k < members.Count; k++) _directives[members[k]] = directives[k];
            }
        }
    }
}

/// <summary>Short runs (the figures are for comparisons on one machine, not publication), with allocations.</summary>
public sealed class StepConfig : ManualConfig
{
    public StepConfig()
    {
        AddJob(Job.ShortRun.WithInvocationCount(1).WithUnrollFactor(1).WithIterationCount(10));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(new PerReplicaColumn(allocated: false), new PerReplicaColumn(allocated: true));
    }
}

/// <summary>Time or allocated bytes per authority-replica-month: the per-operation figure over the Replicas parameter.</summary>
public sealed class PerReplicaColumn(bool allocated) : IColumn
{
    public string Id => allocated ? "AllocPerReplicaMonth" : "TimePerReplicaMonth";
    public string ColumnName => allocated ? "Alloc/replica-month" : "Time/replica-month";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => allocated ? 1 : 0;
    public bool IsNumeric => true;
    public UnitType UnitType => allocated ? UnitType.Size : UnitType.Time;
    public string Legend => allocated
        ? "Bytes allocated per operation divided by the block's replicas"
        : "Mean time per operation divided by the block's replicas";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        var replicas = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == nameof(StepBenchmarks.Replicas))?.Value is int r ? r : 1;
        if (report?.ResultStatistics is null) return "-";
        if (allocated)
        {
            var bytes = report.GcStats.GetBytesAllocatedPerOperation(benchmarkCase);
            return bytes is { } b ? $"{(double)b / replicas:0.##} B" : "-";
        }
        return $"{report.ResultStatistics.Mean / replicas:0.0} ns";
    }
}

internal static class Scenarios
{
    public static SimulationPlan Load(string file, int replicas, int months)
    {
        var result = ScenarioLoader.Load(Path.Combine(Repository(), "scenarios", file), new ScenarioOverrides(replicas, 1, months));
        if (!result.IsValid) throw new InvalidOperationException(string.Join("\n", result.Errors));
        return result.Plan!;
    }

    /// <summary>The repository root: the benchmark runs from a generated copy of this project, so walk up from the working directory and from the binaries.</summary>
    public static string Repository()
    {
        foreach (var start in new[] { Environment.GetEnvironmentVariable("CARESIM_REPO"), Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Simulation.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("cannot find the repository (Simulation.sln); set CARESIM_REPO");
    }
}
