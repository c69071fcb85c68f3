using CareSim.Model.Authority;
using CareSim.Model.Commissioners;
using CareSim.Model.Markets;
using CareSim.Model.Outputs;
using CareSim.Model.Workforce;
using Orleans.Concurrency;

namespace CareSim.Grains.Abstractions;

/// <summary>
/// A run: holds its definition (the compiled plan as JSON, so grains on any silo can rebuild it)
/// and the latest month every grain has checkpointed, in grain storage. Keyed by run id.
/// </summary>
[Alias("CareSim.IRunGrain")]
public interface IRunGrain : IGrainWithStringKey
{
    /// <summary>Stores the run's definition (replacing any earlier one) with no checkpoint committed; <paramref name="runner"/> drives it.</summary>
    [Alias("Register")]
    Task Register(RunDefinition definition, string runner);

    /// <summary>Makes <paramref name="runner"/> the one runner of a stored run (a resume): the previous one can no longer commit.</summary>
    [Alias("Claim")]
    Task Claim(string runner);

    /// <summary>Throws <see cref="RunTakenOverException"/> unless <paramref name="runner"/> drives the run.</summary>
    [Alias("EnsureRunner")]
    Task EnsureRunner(string runner);

    [Alias("GetPlan")]
    Task<Immutable<byte[]>> GetPlan();

    /// <summary>The run's definition, or null when no run of this id is stored.</summary>
    [Alias("GetDefinition")]
    Task<RunDefinition?> GetDefinition();

    /// <summary>The latest month every grain of the run has checkpointed (0: none).</summary>
    [Alias("GetCommittedMonth")]
    Task<int> GetCommittedMonth();

    /// <summary>Records that every grain has checkpointed <paramref name="month"/>; throws <see cref="RunTakenOverException"/> unless <paramref name="runner"/> drives the run.</summary>
    [Alias("Commit")]
    Task Commit(int month, string runner);

    /// <summary>Forgets the run: clears its stored state and deactivates.</summary>
    [Alias("Forget")]
    Task Forget();
}

/// <summary>The summary rows of a run's months from one checkpoint to the next. Keyed "run/first month".</summary>
[Alias("CareSim.IRunJournalGrain")]
public interface IRunJournalGrain : IGrainWithStringKey
{
    [Alias("Write")]
    Task Write(Immutable<SummarisedMonth[]> months);

    [Alias("Read")]
    Task<Immutable<SummarisedMonth[]>> Read();

    [Alias("Clear")]
    Task Clear();
}

/// <summary>
/// All the model of one block of replicas (one replica range): its authority, workforce,
/// labour-market and commissioner grains, which it places on its own silo (they use local
/// placement and only it calls them). The runner calls one of these per block and month, so a
/// month's messages between authorities, markets and commissioners never leave the silo: a month
/// crosses silos only at the runner's barrier. Keyed "run/block"; blocks, not grains, are spread
/// over the silos (<c>BlockPlacement</c>). Its checkpoints (the blocks' state at a month boundary,
/// <see cref="ReplicaBlockCheckpoint"/>) are kept in grain storage.
/// </summary>
[Alias("CareSim.IReplicaBlockGrain")]
/// <remarks>
/// The runner's calls take a token: a call the runner abandons (it lost the silo's gateway and
/// rewinds) is cancelled, so that the client forgets it at once instead of waiting for its
/// response until the response timeout and then logging that it never came. The block goes on
/// with a call it has started (the runner rewinds every block anyway).
/// </remarks>
public interface IReplicaBlockGrain : IGrainWithStringKey
{
    /// <summary>Seeds every authority, market and commissioner of the block from the plan.</summary>
    [Alias("Initialize")]
    Task Initialize(ReplicaBlock block, CancellationToken cancellationToken = default);

    /// <summary>Simulates one month: every authority (and its workforce), then the markets and commissioners for the next month. Returns each authority's metrics (plan order).</summary>
    [Alias("Step")]
    Task<Immutable<MetricFrame[]>> Step(int month, CancellationToken cancellationToken = default);

    /// <summary>Each authority's outcomes (plan order).</summary>
    [Alias("GetOutcomes")]
    Task<Immutable<AuthorityOutcomes[]>> GetOutcomes(CancellationToken cancellationToken = default);

    /// <summary>Stores the block as it stands before <paramref name="month"/> (with that month's inputs); returns the checkpoint's size in bytes.</summary>
    [Alias("Checkpoint")]
    Task<long> Checkpoint(int month, CancellationToken cancellationToken = default);

    /// <summary>Rebuilds the block from its checkpoint of <paramref name="month"/>; throws <see cref="CheckpointMissingException"/> when storage no longer has it.</summary>
    [Alias("Restore")]
    Task Restore(ReplicaBlock block, int month, CancellationToken cancellationToken = default);

    /// <summary>Drops the block's state and deactivates (it and its grains); clears its stored checkpoints too when asked.</summary>
    [Alias("Release")]
    Task Release(bool clearCheckpoints);
}

/// <summary>Which run and which replicas a replica block grain owns.</summary>
[GenerateSerializer, Immutable, Alias("CareSim.ReplicaBlock")]
public sealed record ReplicaBlock(
    [property: Id(0)] string RunId,
    [property: Id(1)] int BlockIndex,
    [property: Id(2)] int FirstReplica,
    [property: Id(3)] int Count)
{
    public BlockAssignment For(int index) => new(RunId, index, BlockIndex, FirstReplica, Count);
}

/// <summary>
/// One authority for one block of replicas: demand, leadership, quality, Ofsted, intervention
/// and finance, and its social-work workforce, stepped together in one call a month. Called by its
/// replica block grain.
/// </summary>
[Alias("CareSim.IAuthorityGrain")]
public interface IAuthorityGrain : IGrainWithStringKey
{
    /// <summary>Seeds the block and its workforce from the plan.</summary>
    [Alias("Initialize")]
    Task Initialize(BlockAssignment assignment);

    /// <summary>Simulates one month.</summary>
    [Alias("Step")]
    Task<Immutable<AuthorityMonthOutput>> Step(Immutable<AuthorityMonthInput> input);

    [Alias("GetOutcomes")]
    Task<Immutable<AuthorityOutcomes>> GetOutcomes();

    /// <summary>The block's state (and its workforce's) as it stands before <paramref name="month"/>.</summary>
    [Alias("Capture")]
    Task<Immutable<AuthoritySnapshot>> Capture(int month);

    /// <summary>Rebuilds the block (and its workforce) at <paramref name="month"/> from a snapshot.</summary>
    [Alias("Restore")]
    Task Restore(BlockAssignment assignment, int month, Immutable<AuthoritySnapshot> snapshot);

    /// <summary>Drops the block's state (and its workforce's) and deactivates.</summary>
    [Alias("Release")]
    Task Release();
}

/// <summary>One authority's block and its workforce's, as bytes (<c>BlockSnapshot</c>; from a capture, the grains' buffers, valid until their next capture).</summary>
[GenerateSerializer, Immutable, Alias("CareSim.AuthoritySnapshot")]
public sealed record AuthoritySnapshot([property: Id(0)] SnapshotBytes Authority, [property: Id(1)] SnapshotBytes Workforce);

/// <summary>A regional labour market for one block: staff moves between its authorities and the shared agency pool.</summary>
[Alias("CareSim.ILabourMarketGrain")]
public interface ILabourMarketGrain : IGrainWithStringKey
{
    [Alias("Initialize")]
    Task Initialize(BlockAssignment assignment);

    /// <summary>Clears a month: submissions in the plan's order of the market's authorities.</summary>
    [Alias("Clear")]
    Task<Immutable<MarketAllocation[]>> Clear(int month, Immutable<MarketSubmission[]> submissions);

    [Alias("Capture")]
    Task<Immutable<SnapshotBytes>> Capture(int month);

    [Alias("Restore")]
    Task Restore(BlockAssignment assignment, int month, Immutable<SnapshotBytes> snapshot);

    [Alias("Release")]
    Task Release();
}

/// <summary>A commissioner (ordinary or regional) for one block: shares attention and concludes reviews.</summary>
[Alias("CareSim.ICommissionerGrain")]
public interface ICommissionerGrain : IGrainWithStringKey
{
    [Alias("Initialize")]
    Task Initialize(BlockAssignment assignment);

    [Alias("Decide")]
    Task<Immutable<CommissionerDirective[]>> Decide(int month, Immutable<CommissionerReport[]> reports);

    [Alias("Capture")]
    Task<Immutable<SnapshotBytes>> Capture(int month);

    [Alias("Restore")]
    Task Restore(BlockAssignment assignment, int month, Immutable<SnapshotBytes> snapshot);

    [Alias("Release")]
    Task Release();
}

/// <summary>Which run, which entity (authority, market or commissioner index) and which replicas a grain owns.</summary>
[GenerateSerializer, Immutable, Alias("CareSim.BlockAssignment")]
public sealed record BlockAssignment(
    [property: Id(0)] string RunId,
    [property: Id(1)] int Index,
    [property: Id(2)] int BlockIndex,
    [property: Id(3)] int FirstReplica,
    [property: Id(4)] int Count);
