using CareSim.Grains.Abstractions;
using Orleans.Runtime;
using Orleans.Concurrency;

namespace CareSim.Grains.Blocks;

/// <summary>
/// A run's definition (its plan as JSON, for the block grains of every silo) and its latest
/// committed checkpoint month, kept in grain storage so both survive the silo that held them.
/// </summary>
public sealed class RunGrain(PlanCache plans, [PersistentState("run", CheckpointStorage.Name)] IPersistentState<RunState> state) : Grain, IRunGrain
{
    public async Task Register(RunDefinition definition, string runner)
    {
        state.State = new RunState { Definition = definition, CommittedMonth = 0, Runner = runner };
        await state.WriteStateAsync();
    }

    public async Task Claim(string runner)
    {
        if (state.State.Definition is null) throw new InvalidOperationException($"run {this.GetPrimaryKeyString()} is not registered");
        state.State.Runner = runner;
        await state.WriteStateAsync();
    }

    public Task EnsureRunner(string runner) =>
        state.State.Runner == runner
            ? Task.CompletedTask
            : throw new RunTakenOverException($"run {this.GetPrimaryKeyString()} is driven by another runner now (it was resumed elsewhere, or completed)");

    public Task<Immutable<byte[]>> GetPlan() =>
        state.State.Definition is { } definition
            ? Task.FromResult(definition.PlanJson.AsImmutable())
            : throw new InvalidOperationException($"run {this.GetPrimaryKeyString()} has no plan registered");

    public Task<RunDefinition?> GetDefinition() => Task.FromResult(state.State.Definition);

    public Task<int> GetCommittedMonth() => Task.FromResult(state.State.CommittedMonth);

    public async Task Commit(int month, string runner)
    {
        if (state.State.Definition is null) throw new InvalidOperationException($"run {this.GetPrimaryKeyString()} is not registered");
        await EnsureRunner(runner);
        state.State.CommittedMonth = month;
        await state.WriteStateAsync();
    }

    public async Task Forget()
    {
        if (state.RecordExists) await state.ClearStateAsync();
        state.State = new RunState();
        plans.Forget(this.GetPrimaryKeyString());
        DeactivateOnIdle();
    }
}
