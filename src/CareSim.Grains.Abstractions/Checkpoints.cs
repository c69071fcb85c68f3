namespace CareSim.Grains.Abstractions;

// What the grains keep in grain storage (the "checkpoints" provider: memory when embedded, Redis
// in a cluster) so that a run survives the loss of a silo or of its client (docs/cluster.md).

/// <summary>The grain storage provider that holds runs and their checkpoints.</summary>
public static class CheckpointStorage
{
    public const string Name = "checkpoints";
}

/// <summary>
/// A block grain's state at a month boundary: its model block as bytes (<c>BlockSnapshot</c>),
/// taken before month <see cref="Month"/> is simulated. An authority grain also keeps the inputs
/// of that month (the labour market's allocation and the commissioner's directive, as bytes), which
/// the runner gets back when it rewinds.
/// </summary>
[GenerateSerializer, Immutable, Alias("CareSim.BlockCheckpoint")]
public sealed record BlockCheckpoint(
    [property: Id(0)] int Month,
    [property: Id(1)] byte[] Block,
    [property: Id(2)] byte[]? NextMarket = null,
    [property: Id(3)] byte[]? NextCommissioner = null);

/// <summary>
/// A block grain's stored state: its two latest checkpoints, oldest first. Two, because the run
/// commits a month only after every grain has written it: until then the previous one is the
/// run's last consistent checkpoint and must still be there.
/// </summary>
[GenerateSerializer, Alias("CareSim.BlockCheckpoints")]
public sealed class BlockCheckpoints
{
    [Id(0)] public List<BlockCheckpoint> Recent { get; set; } = [];

    public const int Kept = 2;

    /// <summary>Adds a checkpoint, replacing any at the same or a later month (after a rewind), keeping the latest <see cref="Kept"/>.</summary>
    public void Add(BlockCheckpoint checkpoint)
    {
        Recent.RemoveAll(c => c.Month >= checkpoint.Month);
        Recent.Add(checkpoint);
        while (Recent.Count > Kept) Recent.RemoveAt(0);
    }

    public BlockCheckpoint? At(int month) => Recent.Find(c => c.Month == month);
}

/// <summary>What a run is, as registered by the runner that starts it: enough to resume it from another process.</summary>
[GenerateSerializer, Immutable, Alias("CareSim.RunDefinition")]
public sealed record RunDefinition(
    [property: Id(0)] byte[] PlanJson,
    [property: Id(1)] int BlockSize,
    [property: Id(2)] int CheckpointEveryMonths,
    [property: Id(3)] string? ClientState);

/// <summary>A run's stored state: its definition and the latest month every grain has checkpointed (0: none yet).</summary>
[GenerateSerializer, Alias("CareSim.RunState")]
public sealed class RunState
{
    [Id(0)] public RunDefinition? Definition { get; set; }
    [Id(1)] public int CommittedMonth { get; set; }

    /// <summary>The runner that drives the run (a new one per start or resume): only it may commit.</summary>
    [Id(2)] public string? Runner { get; set; }
}

/// <summary>One month's summary rows (authority by metric, the order of summary.csv), kept so a resumed run can write them.</summary>
[GenerateSerializer, Immutable, Alias("CareSim.SummarisedMonth")]
public sealed record SummarisedMonth(
    [property: Id(0)] int Month,
    [property: Id(1)] string[] Authorities,
    [property: Id(2)] string[] Metrics,
    [property: Id(3)] double[] Means,
    [property: Id(4)] double[][] Quantiles);

/// <summary>The summary rows of the months between two checkpoints (stored once, read on resume).</summary>
[GenerateSerializer, Alias("CareSim.JournalSegment")]
public sealed class JournalSegment
{
    [Id(0)] public List<SummarisedMonth> Months { get; set; } = [];
}

/// <summary>
/// A block grain was asked to go on from a state it does not have: it was reactivated on another
/// silo after its silo was lost, or it is at another month than the runner. The runner rewinds the
/// run to its last checkpoint.
/// </summary>
[GenerateSerializer, Alias("CareSim.BlockStateLostException")]
public sealed class BlockStateLostException : Exception
{
    public BlockStateLostException()
    {
    }

    public BlockStateLostException(string message) : base(message)
    {
    }

    public BlockStateLostException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>
/// Another runner took the run over (<c>sim run --resume</c> while this runner was still going):
/// this one must stop and leave the grains alone.
/// </summary>
[GenerateSerializer, Alias("CareSim.RunTakenOverException")]
public sealed class RunTakenOverException : Exception
{
    public RunTakenOverException()
    {
    }

    public RunTakenOverException(string message) : base(message)
    {
    }

    public RunTakenOverException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
