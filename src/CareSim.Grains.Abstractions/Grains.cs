using CareSim.Model.Authority;
using CareSim.Model.Commissioners;
using CareSim.Model.Markets;
using CareSim.Model.Workforce;
using Orleans.Concurrency;

namespace CareSim.Grains.Abstractions;

/// <summary>
/// A run: holds the compiled plan (JSON) so grains on any silo can rebuild it. Keyed by run id.
/// </summary>
[Alias("CareSim.IRunGrain")]
public interface IRunGrain : IGrainWithStringKey
{
    [Alias("Register")]
    Task Register(Immutable<byte[]> planJson);

    [Alias("GetPlan")]
    Task<Immutable<byte[]>> GetPlan();

    [Alias("Forget")]
    Task Forget();
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

    /// <summary>Drops the block's state and deactivates (it and its workforce grain).</summary>
    [Alias("Release")]
    Task Release();
}

/// <summary>One authority's social-work workforce for one block of replicas.</summary>
[Alias("CareSim.IWorkforceGrain")]
public interface IWorkforceGrain : IGrainWithStringKey
{
    [Alias("Initialize")]
    Task<Immutable<WorkforceReport>> Initialize(BlockAssignment assignment, Immutable<WorkforceDrivers> initialDrivers);

    [Alias("Step")]
    Task<Immutable<WorkforceReport>> Step(Immutable<WorkforceDrivers> drivers);

    [Alias("Release")]
    Task Release();
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
