using CareSim.Model.Authority;
using CareSim.Model.Commissioners;
using CareSim.Model.Markets;
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
/// One authority for one block of replicas: demand, leadership, quality, Ofsted, intervention
/// and finance. Calls its workforce grain each month (the only grain-to-grain call: one way).
/// </summary>
[Alias("CareSim.IAuthorityGrain")]
public interface IAuthorityGrain : IGrainWithStringKey
{
    /// <summary>Seeds the block from the plan (and its workforce grain).</summary>
    [Alias("Initialize")]
    Task Initialize(BlockAssignment assignment);

    /// <summary>Simulates one month.</summary>
    [Alias("Step")]
    Task<Immutable<AuthorityMonthOutput>> Step(Immutable<AuthorityMonthInput> input);

    [Alias("GetOutcomes")]
    Task<Immutable<AuthorityOutcomes>> GetOutcomes();

    /// <summary>
    /// Stores the block (and its workforce grain's) as it stands before <paramref name="next"/>'s
    /// month, with that month's inputs.
    /// </summary>
    [Alias("Checkpoint")]
    Task Checkpoint(Immutable<AuthorityMonthInput> next);

    /// <summary>Rebuilds the block (and its workforce grain's) from the checkpoint of <paramref name="month"/>; returns that month's inputs.</summary>
    [Alias("Restore")]
    Task<Immutable<AuthorityMonthInput>> Restore(BlockAssignment assignment, int month);

    /// <summary>Drops the block's state and deactivates (it and its workforce grain); clears the stored checkpoints too when asked.</summary>
    [Alias("Release")]
    Task Release(bool clearCheckpoints);
}

/// <summary>One authority's social-work workforce for one block of replicas.</summary>
[Alias("CareSim.IWorkforceGrain")]
public interface IWorkforceGrain : IGrainWithStringKey
{
    [Alias("Initialize")]
    Task<Immutable<WorkforceReport>> Initialize(BlockAssignment assignment, Immutable<WorkforceDrivers> initialDrivers);

    [Alias("Step")]
    Task<Immutable<WorkforceReport>> Step(Immutable<WorkforceDrivers> drivers);

    [Alias("Checkpoint")]
    Task Checkpoint(int month);

    /// <summary>Rebuilds the block from the checkpoint of <paramref name="month"/> (the drivers are the authority's initial ones, needed to construct it).</summary>
    [Alias("Restore")]
    Task Restore(BlockAssignment assignment, int month, Immutable<WorkforceDrivers> initialDrivers);

    [Alias("Release")]
    Task Release(bool clearCheckpoints);
}

/// <summary>A regional labour market for one block: staff moves between its authorities and the shared agency pool.</summary>
[Alias("CareSim.ILabourMarketGrain")]
public interface ILabourMarketGrain : IGrainWithStringKey
{
    [Alias("Initialize")]
    Task Initialize(BlockAssignment assignment);

    /// <summary>Clears a month: submissions in the plan's order of the market's authorities.</summary>
    [Alias("Clear")]
    Task<Immutable<MarketAllocation[]>> Clear(int month, Immutable<MarketSubmission[]> submissions);

    [Alias("Checkpoint")]
    Task Checkpoint(int month);

    [Alias("Restore")]
    Task Restore(BlockAssignment assignment, int month);

    [Alias("Release")]
    Task Release(bool clearCheckpoints);
}

/// <summary>A commissioner (ordinary or regional) for one block: shares attention and concludes reviews.</summary>
[Alias("CareSim.ICommissionerGrain")]
public interface ICommissionerGrain : IGrainWithStringKey
{
    [Alias("Initialize")]
    Task Initialize(BlockAssignment assignment);

    [Alias("Decide")]
    Task<Immutable<CommissionerDirective[]>> Decide(int month, Immutable<CommissionerReport[]> reports);

    [Alias("Checkpoint")]
    Task Checkpoint(int month);

    [Alias("Restore")]
    Task Restore(BlockAssignment assignment, int month);

    [Alias("Release")]
    Task Release(bool clearCheckpoints);
}

/// <summary>Which run, which entity (authority, market or commissioner index) and which replicas a grain owns.</summary>
[GenerateSerializer, Immutable, Alias("CareSim.BlockAssignment")]
public sealed record BlockAssignment(
    [property: Id(0)] string RunId,
    [property: Id(1)] int Index,
    [property: Id(2)] int BlockIndex,
    [property: Id(3)] int FirstReplica,
    [property: Id(4)] int Count);
