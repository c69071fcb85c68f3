using System.Diagnostics;
using CareSim.Engine.Running;
using CareSim.Model;
using CareSim.Model.Authority;
using CareSim.Model.Commissioners;
using CareSim.Model.Markets;
using CareSim.Model.Plan;
using CareSim.Model.Workforce;

namespace CareSim.Engine.Reference;

/// <summary>
/// The reference engine: the model run on one thread with no Orleans. It is the correctness
/// oracle for the grain engine (which must give identical numbers) and the baseline its speed
/// is measured against.
/// </summary>
/// <remarks>
/// Per month and block: every authority steps (begin, workforce, end), then every labour market
/// clears and every commissioner decides; their results feed the next month. The grain engine
/// follows exactly this order.
/// </remarks>
public sealed class ReferenceEngine : ISimulationEngine
{
    public string Name => "reference";

    public Task RunAsync(SimulationPlan plan, RunSettings settings, IRunSink sink, IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        Run(plan, settings, sink, progress, cancellationToken);
        return Task.CompletedTask;
    }

    public static void Run(SimulationPlan plan, RunSettings settings, IRunSink sink, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        // The blocks' state lives only in this call (what the sink gets, metric frames and outcomes, is not
        // BlockMemory's), so the next run in this process builds its blocks in this run's memory rather than fresh pages.
        using var memory = BlockMemory.Reuse();
        var blocks = BlockRange.Partition(plan.Replicas, settings.BlockSize).Select(b => new BlockWorld(plan, b)).ToList();
        PhaseLog.Mark("blocks initialised");
        for (var month = 0; month < plan.HorizonMonths; month++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var world in blocks) world.Step(month, sink);
            sink.CompleteMonth(month);
            progress?.Report(new RunProgress(month + 1, plan.HorizonMonths, stopwatch.Elapsed));
        }
        foreach (var world in blocks) world.DeliverOutcomes(sink);
    }

    /// <summary>All authorities, markets and commissioners of one block of replicas.</summary>
    private sealed class BlockWorld
    {
        private readonly SimulationPlan _plan;
        private readonly BlockRange _block;
        private readonly AuthorityBlock[] _authorities;
        private readonly WorkforceBlock[] _workforces;
        private readonly LabourMarketBlock[] _markets;
        private readonly CommissionerBlock[] _commissioners;
        private readonly MarketAllocation?[] _allocations;
        private readonly CommissionerDirective?[] _directives;
        private readonly AuthorityMonthOutput[] _outputs;

        public BlockWorld(SimulationPlan plan, BlockRange block)
        {
            _plan = plan;
            _block = block;
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
        }

        public void Step(int month, IRunSink sink)
        {
            for (var a = 0; a < _authorities.Length; a++)
            {
                var authority = _authorities[a];
                var drivers = authority.BeginMonth(new AuthorityMonthInput(month, _allocations[a], _directives[a]));
                var report = _workforces[a].Step(drivers);
                _outputs[a] = authority.EndMonth(month, report);
                sink.AcceptMetrics(month, a, _block, _outputs[a].Metrics);
            }
            for (var m = 0; m < _markets.Length; m++)
            {
                var members = _plan.LabourMarkets[m].AuthorityIndices;
                var allocations = _markets[m].Clear(members.Select(a => _outputs[a].Market).ToList());
                for (var k = 0; k < members.Count; k++) _allocations[members[k]] = allocations[k];
            }
            for (var c = 0; c < _commissioners.Length; c++)
            {
                var members = _plan.Commissioners[c].AuthorityIndices;
                var directives = _commissioners[c].Decide(month, members.Select(a => _outputs[a].Commissioner).ToList());
                for (var k = 0; k < members.Count; k++) _directives[members[k]] = directives[k];
            }
        }

        public void DeliverOutcomes(IRunSink sink)
        {
            for (var a = 0; a < _authorities.Length; a++) sink.AcceptOutcomes(a, _block, _authorities[a].Outcomes);
        }
    }
}
