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
        var registered = new RunState { Definition = definition, CommittedMonth = 0, Runner = runner };
        state.State = registered;
        await state.WriteAsync(() => state.State = registered);
    }

    public async Task Claim(string runner)
    {
        if (state.State.Definition is null) throw new InvalidOperationException($"run {this.GetPrimaryKeyString()} is not registered");
        state.State.Runner = runner;
        await state.WriteStateAsync();
    }

    public Task EnsureRunner(string runner)
    {
        var run = state.State;
        if (run.Runner == runner) return Task.CompletedTask;
        if (run.Definition is null && !run.Completed)
            throw new CheckpointMissingException($"run {this.GetPrimaryKeyString()}: its stored state is gone from grain storage (did Redis restart without its data?)");
        throw new RunTakenOverException(run.Completed
            ? $"run {this.GetPrimaryKeyString()} was completed by another runner (it was resumed elsewhere)"
            : $"run {this.GetPrimaryKeyString()} is driven by another runner now (it was resumed elsewhere)");
    }

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
        var committed = state.State;
        committed.CommittedMonth = month;
        await state.WriteAsync(() =>
        {
            // Storage lost the run (Redis restarted without its data): this activation still knows it, and writes it back.
            if (state.State.Definition is null) state.State = committed;
            else if (state.State.Runner != runner) throw new RunTakenOverException($"run {this.GetPrimaryKeyString()} is driven by another runner now (it was resumed elsewhere)");
            else state.State.CommittedMonth = month;
        });
    }

    /// <summary>Forgets a completed run: only a few bytes saying it completed stay, until they expire (StateExpiry).</summary>
    public async Task Forget()
    {
        var completed = new RunState { Completed = true };
        state.State = completed;
        await state.WriteAsync(() => state.State = completed);
        plans.Forget(this.GetPrimaryKeyString());
        DeactivateOnIdle();
    }
}
