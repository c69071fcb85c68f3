using System.Diagnostics;
using CareSim.Engine.Running;
using CareSim.Grains.Abstractions;
using CareSim.Model.Authority;
using CareSim.Model.Commissioners;
using CareSim.Model.Markets;
using CareSim.Model.Plan;
using Orleans.Concurrency;

namespace CareSim.Grains.Runner;

/// <summary>
/// The grain engine: the model on Orleans. One authority grain and one workforce grain per
/// authority and block, one labour-market grain per market and block, one commissioner grain per
/// commissioner and block. An explicit runner (this class; no timers or reminders) drives them
/// month by month, in the same order as the reference engine, and waits for every grain each month.
/// </summary>
/// <remarks>
/// Buffers: a grain's output arrays are reused by it the next month. The runner only reads them
/// within the month (summaries copy them), and never sends month t+1 work before month t has been
/// consumed, so passing them by reference inside <see cref="Immutable{T}"/> in-process is safe.
/// </remarks>
public sealed class GrainEngine(IGrainFactory grains) : ISimulationEngine
{
    public string Name => "grains";

    public async Task RunAsync(SimulationPlan plan, RunSettings settings, IRunSink sink, IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var runId = Guid.NewGuid().ToString("N");
        var run = grains.GetGrain<IRunGrain>(runId);
        await run.Register(PlanJson.Serialize(plan).AsImmutable());

        var world = new GrainWorld(grains, plan, runId, BlockRange.Partition(plan.Replicas, settings.BlockSize));
        var fanOut = Math.Max(4, settings.EffectiveConcurrency * 4);
        try
        {
            await world.InitializeAsync(fanOut, cancellationToken);
            for (var month = 0; month < plan.HorizonMonths; month++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await world.StepAsync(month, sink, fanOut, cancellationToken);
                sink.CompleteMonth(month);
                progress?.Report(new RunProgress(month + 1, plan.HorizonMonths, stopwatch.Elapsed));
            }
            await world.DeliverOutcomesAsync(sink, fanOut, cancellationToken);
        }
        finally
        {
            await world.ReleaseAsync(fanOut);
            await run.Forget();
        }
    }

    /// <summary>The grains of one run and the messages between months.</summary>
    private sealed class GrainWorld
    {
        private readonly SimulationPlan _plan;
        private readonly IReadOnlyList<BlockRange> _blocks;
        private readonly List<(int Authority, int Block, IAuthorityGrain Grain)> _authorities = [];
        private readonly List<(int Market, int Block, ILabourMarketGrain Grain)> _markets = [];
        private readonly List<(int Commissioner, int Block, ICommissionerGrain Grain)> _commissioners = [];
        private readonly MarketAllocation?[,] _allocations;
        private readonly CommissionerDirective?[,] _directives;
        private readonly string _runId;

        public GrainWorld(IGrainFactory grains, SimulationPlan plan, string runId, IReadOnlyList<BlockRange> blocks)
        {
            _plan = plan;
            _runId = runId;
            _blocks = blocks;
            for (var a = 0; a < plan.Authorities.Count; a++)
                for (var b = 0; b < blocks.Count; b++)
                    _authorities.Add((a, b, grains.GetGrain<IAuthorityGrain>(GrainKeys.Block(runId, a, b))));
            for (var m = 0; m < plan.LabourMarkets.Count; m++)
                for (var b = 0; b < blocks.Count; b++)
                    _markets.Add((m, b, grains.GetGrain<ILabourMarketGrain>(GrainKeys.Block(runId, m, b))));
            for (var c = 0; c < plan.Commissioners.Count; c++)
                for (var b = 0; b < blocks.Count; b++)
                    _commissioners.Add((c, b, grains.GetGrain<ICommissionerGrain>(GrainKeys.Block(runId, c, b))));
            _allocations = new MarketAllocation?[plan.Authorities.Count, blocks.Count];
            _directives = new CommissionerDirective?[plan.Authorities.Count, blocks.Count];
        }

        private BlockAssignment Assignment(int index, int block) =>
            new(_runId, index, block, _blocks[block].FirstReplica, _blocks[block].Count);

        public async Task InitializeAsync(int fanOut, CancellationToken cancellationToken)
        {
            await Bounded.ForAllAsync(_authorities, fanOut, x => x.Grain.Initialize(Assignment(x.Authority, x.Block)), cancellationToken);
            await Bounded.ForAllAsync(_markets, fanOut, x => x.Grain.Initialize(Assignment(x.Market, x.Block)), cancellationToken);
            await Bounded.ForAllAsync(_commissioners, fanOut, x => x.Grain.Initialize(Assignment(x.Commissioner, x.Block)), cancellationToken);
        }

        public async Task StepAsync(int month, IRunSink sink, int fanOut, CancellationToken cancellationToken)
        {
            // 1. Every authority block steps (it calls its workforce grain).
            var outputs = await Bounded.ForAllAsync(_authorities, fanOut, async x =>
            {
                var input = new AuthorityMonthInput(month, _allocations[x.Authority, x.Block], _directives[x.Authority, x.Block]);
                return (await x.Grain.Step(input.AsImmutable())).Value;
            }, cancellationToken);
            var byAuthority = new AuthorityMonthOutput[_plan.Authorities.Count, _blocks.Count];
            for (var i = 0; i < _authorities.Count; i++)
            {
                var (a, b, _) = _authorities[i];
                byAuthority[a, b] = outputs[i];
                sink.AcceptMetrics(month, a, _blocks[b], outputs[i].Metrics);
            }

            // 2. Markets clear and commissioners decide, for next month.
            var clearing = Bounded.ForAllAsync(_markets, fanOut, async x =>
            {
                var members = _plan.LabourMarkets[x.Market].AuthorityIndices;
                var submissions = members.Select(a => byAuthority[a, x.Block].Market).ToArray();
                return (await x.Grain.Clear(month, submissions.AsImmutable())).Value;
            }, cancellationToken);
            var deciding = Bounded.ForAllAsync(_commissioners, fanOut, async x =>
            {
                var members = _plan.Commissioners[x.Commissioner].AuthorityIndices;
                var reports = members.Select(a => byAuthority[a, x.Block].Commissioner).ToArray();
                return (await x.Grain.Decide(month, reports.AsImmutable())).Value;
            }, cancellationToken);
            var allocations = await clearing;
            var directives = await deciding;
            for (var i = 0; i < _markets.Count; i++)
            {
                var (m, b, _) = _markets[i];
                var members = _plan.LabourMarkets[m].AuthorityIndices;
                for (var k = 0; k < members.Count; k++) _allocations[members[k], b] = allocations[i][k];
            }
            for (var i = 0; i < _commissioners.Count; i++)
            {
                var (c, b, _) = _commissioners[i];
                var members = _plan.Commissioners[c].AuthorityIndices;
                for (var k = 0; k < members.Count; k++) _directives[members[k], b] = directives[i][k];
            }
        }

        public async Task DeliverOutcomesAsync(IRunSink sink, int fanOut, CancellationToken cancellationToken)
        {
            var outcomes = await Bounded.ForAllAsync(_authorities, fanOut, async x => (await x.Grain.GetOutcomes()).Value, cancellationToken);
            for (var i = 0; i < _authorities.Count; i++)
                sink.AcceptOutcomes(_authorities[i].Authority, _blocks[_authorities[i].Block], outcomes[i]);
        }

        /// <summary>Deactivates every grain of the run (also after a failure or cancellation).</summary>
        public async Task ReleaseAsync(int fanOut)
        {
            try
            {
                await Bounded.ForAllAsync(_authorities, fanOut, x => x.Grain.Release(), CancellationToken.None);
                await Bounded.ForAllAsync(_markets, fanOut, x => x.Grain.Release(), CancellationToken.None);
                await Bounded.ForAllAsync(_commissioners, fanOut, x => x.Grain.Release(), CancellationToken.None);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                // Grains that cannot be reached are deactivated by Orleans when idle.
            }
        }
    }
}
