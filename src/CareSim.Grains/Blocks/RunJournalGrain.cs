using CareSim.Grains.Abstractions;
using Orleans.Runtime;
using Orleans.Concurrency;

namespace CareSim.Grains.Blocks;

/// <summary>The summary rows of a run's months between two checkpoints, kept in grain storage for a resumed run.</summary>
public sealed class RunJournalGrain([PersistentState("journal", CheckpointStorage.Name)] IPersistentState<JournalSegment> segment) : Grain, IRunJournalGrain
{
    public async Task Write(Immutable<SummarisedMonth[]> months)
    {
        var written = new JournalSegment { Months = [.. months.Value] };
        segment.State = written;
        await segment.WriteAsync(() => segment.State = written);
        DeactivateOnIdle(); // read again only if the run resumes
    }

    public Task<Immutable<SummarisedMonth[]>> Read() => Task.FromResult(segment.State.Months.ToArray().AsImmutable());

    public async Task Clear()
    {
        await segment.ClearIfStoredAsync();
        DeactivateOnIdle();
    }
}
