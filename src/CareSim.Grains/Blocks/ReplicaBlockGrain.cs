using CareSim.Grains.Abstractions;
using CareSim.Grains.Checkpoints;
using CareSim.Grains.Placement;
using CareSim.Model.Authority;
using CareSim.Model.Commissioners;
using CareSim.Model.Markets;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace CareSim.Grains.Blocks;

/// <summary>
/// One replica range of a run: drives its authority, workforce, labour-market and commissioner
/// grains month by month, in the reference engine's order, and keeps the next month's inputs (the
/// markets' allocations and the commissioners' directives) between months. It activates those
/// grains, which use local placement, so they all live on this grain's silo and a month's messages
/// between them are local calls (no copies: <see cref="Immutable{T}"/>). Its checkpoints go to one of
/// two slots in grain storage.
/// </summary>
[BlockPlacement]
public sealed class ReplicaBlockGrain(
    PlanCache plans,
    [PersistentState("checkpoint-a", CheckpointStorage.Name)] IPersistentState<CheckpointSlot> slotA,
    [PersistentState("checkpoint-b", CheckpointStorage.Name)] IPersistentState<CheckpointSlot> slotB,
    IdleMemory? memory = null) : Grain, IReplicaBlockGrain
{
    private BlockParts? _parts;
    private int _nextMonth;

    /// <summary>Capture buffers of the next month's inputs (allocations, then directives), reused by every checkpoint.</summary>
    private readonly List<MemoryStream> _inputSnapshots = [];

    private string Name => $"replica block {this.GetPrimaryKeyString()}";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        memory?.BlockActivated();
        return base.OnActivateAsync(cancellationToken);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        memory?.BlockDeactivated();
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <summary>The block's grains and the inputs of its next month.</summary>
    private sealed class BlockParts(SimulationPlan plan, ReplicaBlock block, IGrainFactory grains)
    {
        public SimulationPlan Plan { get; } = plan;
        public ReplicaBlock Block { get; } = block;
        public IAuthorityGrain[] Authorities { get; } = Enumerable.Range(0, plan.Authorities.Count).Select(a => grains.GetGrain<IAuthorityGrain>(GrainKeys.Block(block.RunId, a, block.BlockIndex))).ToArray();
        public ILabourMarketGrain[] Markets { get; } = Enumerable.Range(0, plan.LabourMarkets.Count).Select(m => grains.GetGrain<ILabourMarketGrain>(GrainKeys.Block(block.RunId, m, block.BlockIndex))).ToArray();
        public ICommissionerGrain[] Commissioners { get; } = Enumerable.Range(0, plan.Commissioners.Count).Select(c => grains.GetGrain<ICommissionerGrain>(GrainKeys.Block(block.RunId, c, block.BlockIndex))).ToArray();
        public MarketAllocation?[] Allocations { get; } = new MarketAllocation?[plan.Authorities.Count];
        public CommissionerDirective?[] Directives { get; } = new CommissionerDirective?[plan.Authorities.Count];
    }

    private async Task<BlockParts> PartsAsync(ReplicaBlock block) =>
        new(await plans.GetAsync(block.RunId, GrainFactory), block, GrainFactory);

    public async Task Initialize(ReplicaBlock block, CancellationToken cancellationToken = default)
    {
        _parts = null;
        var parts = await PartsAsync(block);
        await Task.WhenAll(parts.Authorities.Select((g, a) => g.Initialize(block.For(a))));
        await Task.WhenAll(parts.Markets.Select((g, m) => g.Initialize(block.For(m))));
        await Task.WhenAll(parts.Commissioners.Select((g, c) => g.Initialize(block.For(c))));
        _parts = parts;
        _nextMonth = 0;
    }

    public async Task<Immutable<MetricFrame[]>> Step(int month, CancellationToken cancellationToken = default)
    {
        var parts = BlockState.AtMonth(_parts, _nextMonth, month, Name);
        var plan = parts.Plan;
        // A month that fails half-way leaves the block unusable until it is restored.
        _nextMonth = -1;
        // 1. Every authority steps (with its workforce).
        var steps = new Task<Immutable<AuthorityMonthOutput>>[parts.Authorities.Length];
        for (var a = 0; a < steps.Length; a++)
            steps[a] = parts.Authorities[a].Step(new AuthorityMonthInput(month, parts.Allocations[a], parts.Directives[a]).AsImmutable());
        await Task.WhenAll(steps);
        var outputs = new AuthorityMonthOutput[steps.Length];
        for (var a = 0; a < steps.Length; a++) outputs[a] = steps[a].Result.Value;

        // 2. Markets clear and commissioners decide, for next month.
        var clearing = Task.WhenAll(parts.Markets.Select(async (g, m) =>
            (await g.Clear(month, plan.LabourMarkets[m].AuthorityIndices.Select(a => outputs[a].Market).ToArray().AsImmutable())).Value));
        var deciding = Task.WhenAll(parts.Commissioners.Select(async (g, c) =>
            (await g.Decide(month, plan.Commissioners[c].AuthorityIndices.Select(a => outputs[a].Commissioner).ToArray().AsImmutable())).Value));
        var allocations = await clearing;
        var directives = await deciding;
        for (var m = 0; m < allocations.Length; m++)
        {
            var members = plan.LabourMarkets[m].AuthorityIndices;
            for (var k = 0; k < members.Count; k++) parts.Allocations[members[k]] = allocations[m][k];
        }
        for (var c = 0; c < directives.Length; c++)
        {
            var members = plan.Commissioners[c].AuthorityIndices;
            for (var k = 0; k < members.Count; k++) parts.Directives[members[k]] = directives[c][k];
        }
        _nextMonth = month + 1;
        // The frames are the authority blocks' own arrays, valid until their next month (the runner copies what it keeps).
        var frames = new MetricFrame[outputs.Length];
        for (var a = 0; a < outputs.Length; a++) frames[a] = outputs[a].Metrics;
        return frames.AsImmutable();
    }

    public async Task<Immutable<AuthorityOutcomes[]>> GetOutcomes(CancellationToken cancellationToken = default)
    {
        var parts = _parts ?? throw new BlockStateLostException($"{Name} holds no block");
        var outcomes = await Task.WhenAll(parts.Authorities.Select(async g => (await g.GetOutcomes()).Value));
        return outcomes.AsImmutable();
    }

    public async Task<long> Checkpoint(int month, CancellationToken cancellationToken = default)
    {
        var parts = BlockState.AtMonth(_parts, _nextMonth, month, Name);
        var authorities = await Task.WhenAll(parts.Authorities.Select(async g => (await g.Capture(month)).Value));
        var markets = await Task.WhenAll(parts.Markets.Select(async g => (await g.Capture(month)).Value));
        var commissioners = await Task.WhenAll(parts.Commissioners.Select(async g => (await g.Capture(month)).Value));
        // The snapshots are the grains' capture buffers: storage serialises them from there, once,
        // before any of these grains captures again (the runner steps no block before this returns).
        var checkpoint = new ReplicaBlockCheckpoint(month,
            authorities.Select(s => s.Authority).ToArray(),
            authorities.Select(s => s.Workforce).ToArray(),
            markets, commissioners,
            parts.Allocations.Select((a, i) => CaptureInput(a, i)).ToArray(),
            parts.Directives.Select((d, i) => CaptureInput(d, parts.Allocations.Length + i)).ToArray());
        var slot = SlotFor(month);
        slot.State.Checkpoint = checkpoint;
        await slot.WriteAsync(() => slot.State.Checkpoint = checkpoint);
        slot.State.Checkpoint = checkpoint.Written(); // the buffers are reused by the next capture
        return checkpoint.Bytes;
    }

    /// <summary>A next month's input (none before the first month: empty), in capture buffer <paramref name="index"/>.</summary>
    private SnapshotBytes CaptureInput(object? input, int index)
    {
        if (input is null) return default;
        while (_inputSnapshots.Count <= index) _inputSnapshots.Add(new MemoryStream());
        return new SnapshotBytes(BlockSnapshot.Capture(input, _inputSnapshots[index]));
    }

    /// <summary>
    /// The slot a checkpoint of <paramref name="month"/> goes to: one holding that month or a later
    /// one (never committed: the run rewound past it), else the older one. The other slot keeps the
    /// run's last committed checkpoint until this one is committed.
    /// </summary>
    private IPersistentState<CheckpointSlot> SlotFor(int month)
    {
        int MonthIn(IPersistentState<CheckpointSlot> slot) => slot.State.Checkpoint?.Month ?? -1;
        if (MonthIn(slotA) >= month) return slotA;
        if (MonthIn(slotB) >= month) return slotB;
        return MonthIn(slotA) <= MonthIn(slotB) ? slotA : slotB;
    }

    public async Task Restore(ReplicaBlock block, int month, CancellationToken cancellationToken = default)
    {
        _parts = null;
        // Read again: another activation (on a silo since lost) may have written them.
        await Task.WhenAll(slotA.ReadAsync(), slotB.ReadAsync());
        var checkpoint = new[] { slotA.State.Checkpoint, slotB.State.Checkpoint }.FirstOrDefault(c => c?.Month == month)
            ?? throw new CheckpointMissingException($"run {block.RunId}: the checkpoint of month {month} of block {block.BlockIndex} (replicas {block.FirstReplica}-{block.FirstReplica + block.Count - 1}) is not in grain storage"
                + (slotA.State.Checkpoint is null && slotB.State.Checkpoint is null ? " (it holds none of this block: did Redis lose its data?)" : ""));
        var parts = await PartsAsync(block);
        await Task.WhenAll(parts.Authorities.Select((g, a) =>
            g.Restore(block.For(a), month, new AuthoritySnapshot(checkpoint.Authorities[a], checkpoint.Workforces[a]).AsImmutable())));
        await Task.WhenAll(parts.Markets.Select((g, m) => g.Restore(block.For(m), month, checkpoint.Markets[m].AsImmutable())));
        await Task.WhenAll(parts.Commissioners.Select((g, c) => g.Restore(block.For(c), month, checkpoint.Commissioners[c].AsImmutable())));
        for (var a = 0; a < parts.Allocations.Length; a++)
        {
            if (checkpoint.NextMarket[a] is { IsEmpty: false } market) BlockSnapshot.Restore(parts.Allocations[a] = new MarketAllocation(block.Count), market.Memory);
            if (checkpoint.NextCommissioner[a] is { IsEmpty: false } directive) BlockSnapshot.Restore(parts.Directives[a] = new CommissionerDirective(block.Count), directive.Memory);
        }
        _parts = parts;
        _nextMonth = month;
    }

    public async Task Release(bool clearCheckpoints)
    {
        var parts = _parts;
        _parts = null;
        if (parts is not null)
        {
            await Task.WhenAll(parts.Authorities.Select(g => g.Release()));
            await Task.WhenAll(parts.Markets.Select(g => g.Release()));
            await Task.WhenAll(parts.Commissioners.Select(g => g.Release()));
        }
        if (clearCheckpoints)
        {
            await slotA.ClearIfStoredAsync();
            await slotB.ClearIfStoredAsync();
        }
        plans.Forget(GrainKeys.ParseReplicaBlock(this.GetPrimaryKeyString()).RunId);
        DeactivateOnIdle();
    }
}
