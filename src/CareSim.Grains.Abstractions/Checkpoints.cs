namespace CareSim.Grains.Abstractions;

// What the grains keep in grain storage (the "checkpoints" provider: memory when embedded, Redis
// in a cluster) so that a run survives the loss of a silo or of its client (docs/cluster.md).

/// <summary>The grain storage provider that holds runs and their checkpoints.</summary>
public static class CheckpointStorage
{
    public const string Name = "checkpoints";
}

/// <summary>
/// A replica block's state at a month boundary, taken before month <see cref="Month"/> is
/// simulated: each authority's, workforce's, labour market's and commissioner's model block as
/// bytes (<c>BlockSnapshot</c>: the state that cannot be recomputed, in binary), and each
/// authority's inputs of that month (the labour market's allocation and the commissioner's
/// directive; empty before the first month). One record per block and checkpoint.
/// </summary>
/// <remarks>
/// As the replica block grain writes it, the snapshots are the block grains' own capture buffers,
/// reused at their next checkpoint (<c>BlockSnapshot.Capture(object, MemoryStream)</c>): storage
/// serialises them straight from there (<see cref="Serialization.SnapshotBytesCodec"/>), and the
/// grain keeps only <see cref="Written"/> afterwards. As storage reads it, each is an array of its
/// own. Not <c>[Immutable]</c> for that reason: a copy (Orleans copies what it does not know to
/// be immutable) must copy the bytes rather than share the buffers.
/// </remarks>
[GenerateSerializer, Alias("CareSim.ReplicaBlockCheckpoint")]
public sealed record ReplicaBlockCheckpoint(
    [property: Id(0)] int Month,
    [property: Id(1)] SnapshotBytes[] Authorities,
    [property: Id(2)] SnapshotBytes[] Workforces,
    [property: Id(3)] SnapshotBytes[] Markets,
    [property: Id(4)] SnapshotBytes[] Commissioners,
    [property: Id(5)] SnapshotBytes[] NextMarket,
    [property: Id(6)] SnapshotBytes[] NextCommissioner)
{
    /// <summary>The snapshots' bytes (what storage holds, besides a few bytes of framing).</summary>
    public long Bytes =>
        new[] { Authorities, Workforces, Markets, Commissioners, NextMarket, NextCommissioner }.Sum(part => part.Sum(b => (long)b.Length));

    /// <summary>What a slot keeps in memory once this checkpoint is stored: its month only (restoring reads storage again).</summary>
    public ReplicaBlockCheckpoint Written() => new(Month, [], [], [], [], [], []);
}

/// <summary>
/// One of a replica block grain's two checkpoint slots in grain storage. Two, because the run
/// commits a month only after every block has written it: until then the previous checkpoint is
/// the run's last consistent one and must still be there. A checkpoint is written to one slot
/// only (the older one), so each checkpoint is stored once.
/// </summary>
[GenerateSerializer, Alias("CareSim.CheckpointSlot")]
public sealed class CheckpointSlot
{
    [Id(0)] public ReplicaBlockCheckpoint? Checkpoint { get; set; }
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

    /// <summary>The run completed (all that is left of it, until the state expires): a runner still going was overtaken, not robbed by a storage loss.</summary>
    [Id(3)] public bool Completed { get; set; }
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
/// A block's checkpoint is not in grain storage (Redis lost its data, or the run's state expired):
/// the run cannot go on from it. The message names the run, the block and the month.
/// </summary>
[GenerateSerializer, Alias("CareSim.CheckpointMissingException")]
public sealed class CheckpointMissingException : Exception
{
    public CheckpointMissingException()
    {
    }

    public CheckpointMissingException(string message) : base(message)
    {
    }

    public CheckpointMissingException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>Grain storage (Redis) did not answer: the runner rewinds and tries again, as after a lost silo.</summary>
[GenerateSerializer, Alias("CareSim.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message) : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException) : base(message, innerException)
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

/// <summary>
/// A model block's state as bytes (<c>BlockSnapshot</c>): from a capture, a view of the capturing
/// grain's buffer, valid until its next capture; read from storage or a message, an array of its
/// own. Empty: none (an authority's inputs before the first month). Serialised by
/// <see cref="Serialization.SnapshotBytesCodec"/>.
/// </summary>
public readonly struct SnapshotBytes(ReadOnlyMemory<byte> memory)
{
    public ReadOnlyMemory<byte> Memory { get; } = memory;

    public int Length => Memory.Length;

    public bool IsEmpty => Memory.IsEmpty;
}
