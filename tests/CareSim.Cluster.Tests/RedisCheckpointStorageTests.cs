using CareSim.Grains.Abstractions;
using CareSim.Host;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace CareSim.Cluster.Tests;

/// <summary>
/// The silos' grain storage for checkpoints (<see cref="RedisCheckpointStorage"/>), against a Redis
/// server of the test's own: what is written is read back bit for bit, a write or clear based on a
/// version that is no longer stored is refused (as after Redis lost its data, which
/// <c>DurableState</c> then repairs), and records expire.
/// </summary>
public sealed class RedisCheckpointStorageTests : IDisposable
{
    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(CheckpointSlot).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    private readonly RedisServer _redis = new(persistent: false);
    private readonly GrainId _block = GrainId.Create("replicablock", "run0/3");

    private const string DataKey = "svc/state/replicablock/run0/3/checkpoint-a/data";

    public void Dispose() => _redis.Dispose();

    private RedisCheckpointStorage Storage() =>
        new(ConfigurationOptions.Parse(_redis.Configuration), "svc", TimeSpan.FromHours(2), Serializer);

    private static ReplicaBlockCheckpoint Checkpoint(int month, int bytes)
    {
        var random = new Random(month);
        SnapshotBytes Bytes(int n)
        {
            var b = new byte[n + 3];
            random.NextBytes(b);
            return new SnapshotBytes(b.AsMemory(2, n)); // part of a buffer, as a grain's capture buffer is
        }
        return new ReplicaBlockCheckpoint(month, [Bytes(bytes), Bytes(17)], [Bytes(bytes / 3), Bytes(0)], [Bytes(5)], [], [default, Bytes(44)], [Bytes(8), default]);
    }

    private static void AssertSame(ReplicaBlockCheckpoint expected, ReplicaBlockCheckpoint? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Month, actual.Month);
        foreach (var (e, a) in new[] { (expected.Authorities, actual.Authorities), (expected.Workforces, actual.Workforces), (expected.Markets, actual.Markets),
                     (expected.Commissioners, actual.Commissioners), (expected.NextMarket, actual.NextMarket), (expected.NextCommissioner, actual.NextCommissioner) })
        {
            Assert.Equal(e.Length, a.Length);
            for (var i = 0; i < e.Length; i++) Assert.True(a[i].Memory.Span.SequenceEqual(e[i].Memory.Span));
        }
    }

    /// <summary>
    /// Redis away (here: nothing listens, and calls fail at once rather than wait in the backlog) is a
    /// StorageUnavailableException, which the runner recovers from, not StackExchange.Redis' own
    /// connection exception, which it did not know (a grain activated while Redis restarted once
    /// failed a client's run with a stack trace).
    /// </summary>
    [Fact]
    public async Task Redis_not_answering_is_storage_unavailable_for_reads_writes_and_clears()
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{Repo.FreePort()}");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 500;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        await using var storage = new RedisCheckpointStorage(options, "svc", TimeSpan.FromHours(2), Serializer);
        var state = new GrainState<CheckpointSlot> { State = new CheckpointSlot { Checkpoint = Checkpoint(12, 100) } };
        await Assert.ThrowsAsync<StorageUnavailableException>(() => storage.ReadStateAsync("checkpoint-a", _block, state));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => storage.WriteStateAsync("checkpoint-a", _block, state));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => storage.ClearStateAsync("checkpoint-a", _block, state));
    }

    [Fact]
    public async Task A_written_state_is_read_back_bit_for_bit_and_expires()
    {
        await using var storage = Storage();
        var written = new GrainState<CheckpointSlot>(new CheckpointSlot { Checkpoint = Checkpoint(12, 3_000_000) });
        await storage.WriteStateAsync("checkpoint-a", _block, written);
        Assert.True(written.RecordExists);
        Assert.NotNull(written.ETag);

        var read = new GrainState<CheckpointSlot>();
        await Storage().ReadStateAsync("checkpoint-a", _block, read);
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        AssertSame(written.State!.Checkpoint!, read.State!.Checkpoint);
        foreach (var key in new[] { "svc/state/replicablock/run0/3/checkpoint-a", "svc/state/replicablock/run0/3/checkpoint-a/data" })
            Assert.InRange(int.Parse(_redis.Cli("TTL", key)!), 7000, 7200);

        var missing = new GrainState<CheckpointSlot>();
        await storage.ReadStateAsync("checkpoint-b", _block, missing);
        Assert.False(missing.RecordExists);
        Assert.Null(missing.ETag);
        Assert.Null(missing.State!.Checkpoint);
    }

    [Fact]
    public async Task A_large_state_is_sent_in_chunks_the_storage_keeps_for_the_next_write()
    {
        await using var storage = Storage();
        var state = new GrainState<CheckpointSlot>(new CheckpointSlot { Checkpoint = Checkpoint(12, 3_000_000) });
        await storage.WriteStateAsync("checkpoint-a", _block, state);
        var kept = storage.Chunks.Kept;
        Assert.InRange(kept, 4_000_000 / storage.Chunks.ChunkSize, 5_000_000 / storage.Chunks.ChunkSize + 1);
        state.State = new CheckpointSlot { Checkpoint = Checkpoint(24, 3_000_000) };
        await storage.WriteStateAsync("checkpoint-a", _block, state);
        Assert.Equal(kept, storage.Chunks.Kept); // the same chunks again, none new
        var read = new GrainState<CheckpointSlot>();
        await storage.ReadStateAsync("checkpoint-a", _block, read);
        AssertSame(Checkpoint(24, 3_000_000), read.State!.Checkpoint);
        // Only the version and the data: no key left from the sending. The data is the snapshots' bytes and a few of framing,
        // in a string with a little room to spare, which the second write (of the same size) reused as it was.
        Assert.Equal("2", _redis.Cli("DBSIZE"));
        var length = long.Parse(_redis.Cli("STRLEN", DataKey)!);
        Assert.InRange(length, Checkpoint(24, 3_000_000).Bytes, (Checkpoint(24, 3_000_000).Bytes + 200) * 33 / 32);
        // A smaller state goes into the same string and is read back as it was (its version records its length).
        state.State = new CheckpointSlot { Checkpoint = Checkpoint(36, 1_000_000) };
        await storage.WriteStateAsync("checkpoint-a", _block, state);
        await storage.ReadStateAsync("checkpoint-a", _block, read);
        AssertSame(Checkpoint(36, 1_000_000), read.State!.Checkpoint);
        Assert.Equal(length, long.Parse(_redis.Cli("STRLEN", DataKey)!));
        storage.Chunks.Release();
        Assert.Equal(0, storage.Chunks.Kept);
    }

    /// <summary>
    /// A silo dies while its block writes a checkpoint into its older slot, a few chunks in: the slot
    /// then holds nothing (not a mix of the old and the new checkpoint), the other slot (the run's last
    /// committed checkpoint) is whole, and another activation can write the slot again; the
    /// interrupted writer, were it still about, can no longer touch it.
    /// </summary>
    [Fact]
    public async Task A_write_interrupted_midway_leaves_its_slot_holding_nothing_and_the_other_slot_whole()
    {
        await using var storage = Storage();
        var slotA = new GrainState<CheckpointSlot>(new CheckpointSlot { Checkpoint = Checkpoint(12, 3_000_000) });
        await storage.WriteStateAsync("checkpoint-a", _block, slotA);
        var slotB = new GrainState<CheckpointSlot>(new CheckpointSlot { Checkpoint = Checkpoint(24, 3_000_000) });
        await storage.WriteStateAsync("checkpoint-b", _block, slotB);

        storage.AfterChunk = chunk => chunk == 3 ? throw new IOException("the silo is gone") : Task.CompletedTask;
        slotA.State = new CheckpointSlot { Checkpoint = Checkpoint(36, 3_000_000) };
        await Assert.ThrowsAsync<IOException>(() => storage.WriteStateAsync("checkpoint-a", _block, slotA));

        await using var other = Storage(); // the block's activation on another silo
        var readA = new GrainState<CheckpointSlot>();
        await other.ReadStateAsync("checkpoint-a", _block, readA);
        Assert.Null(readA.State!.Checkpoint);
        Assert.True(readA.RecordExists); // its keys are there: a clear removes them
        var readB = new GrainState<CheckpointSlot>();
        await other.ReadStateAsync("checkpoint-b", _block, readB);
        AssertSame(Checkpoint(24, 3_000_000), readB.State!.Checkpoint);

        readA.State = new CheckpointSlot { Checkpoint = Checkpoint(37, 3_000_000) };
        await other.WriteStateAsync("checkpoint-a", _block, readA);
        storage.AfterChunk = null;
        slotA.State = new CheckpointSlot { Checkpoint = Checkpoint(38, 3_000_000) };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("checkpoint-a", _block, slotA));
        var read = new GrainState<CheckpointSlot>();
        await Storage().ReadStateAsync("checkpoint-a", _block, read);
        AssertSame(Checkpoint(37, 3_000_000), read.State!.Checkpoint);
    }

    /// <summary>
    /// Two writers of one slot at once (an activation on a silo taken for dead, and its successor):
    /// the first is paused a few chunks into its write while the second reads the slot and writes it
    /// whole. The first's remaining chunks and its commit are refused, and the slot holds the
    /// second's checkpoint, bit for bit.
    /// </summary>
    [Fact]
    public async Task A_writer_overtaken_midway_cannot_change_a_byte_of_the_newer_checkpoint()
    {
        await using var first = Storage();
        await using var second = Storage();
        var slot = new GrainState<CheckpointSlot>(new CheckpointSlot { Checkpoint = Checkpoint(12, 3_000_000) });
        await first.WriteStateAsync("checkpoint-a", _block, slot);

        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.AfterChunk = async chunk =>
        {
            if (chunk != 4) return;
            paused.SetResult();
            await resume.Task;
        };
        slot.State = new CheckpointSlot { Checkpoint = Checkpoint(24, 3_000_000) };
        var overtaken = first.WriteStateAsync("checkpoint-a", _block, slot);
        await paused.Task;

        var successor = new GrainState<CheckpointSlot>();
        await second.ReadStateAsync("checkpoint-a", _block, successor);
        Assert.Null(successor.State!.Checkpoint); // being written
        successor.State = new CheckpointSlot { Checkpoint = Checkpoint(25, 3_000_000) };
        await second.WriteStateAsync("checkpoint-a", _block, successor);
        resume.SetResult();
        await Assert.ThrowsAsync<InconsistentStateException>(() => overtaken);

        var read = new GrainState<CheckpointSlot>();
        await Storage().ReadStateAsync("checkpoint-a", _block, read);
        Assert.Equal(successor.ETag, read.ETag);
        AssertSame(Checkpoint(25, 3_000_000), read.State!.Checkpoint);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(3_000_000)]
    public async Task A_write_or_clear_from_a_version_no_longer_stored_is_refused_and_leaves_the_stored_one(int bytes)
    {
        await using var storage = Storage();
        var first = new GrainState<CheckpointSlot>(new CheckpointSlot { Checkpoint = Checkpoint(6, bytes) });
        await storage.WriteStateAsync("checkpoint-a", _block, first);
        var stale = new GrainState<CheckpointSlot>();
        await storage.ReadStateAsync("checkpoint-a", _block, stale);

        first.State = new CheckpointSlot { Checkpoint = Checkpoint(12, bytes) };
        await storage.WriteStateAsync("checkpoint-a", _block, first); // a newer version: the stale copy's is gone
        stale.State = new CheckpointSlot { Checkpoint = Checkpoint(18, bytes) };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("checkpoint-a", _block, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("checkpoint-a", _block, stale));
        // A state never read, written over one that exists, is refused too.
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("checkpoint-a", _block, new GrainState<CheckpointSlot>(new CheckpointSlot())));

        var stored = new GrainState<CheckpointSlot>();
        await storage.ReadStateAsync("checkpoint-a", _block, stored);
        AssertSame(Checkpoint(12, bytes), stored.State!.Checkpoint);

        await storage.ClearStateAsync("checkpoint-a", _block, first);
        Assert.False(first.RecordExists);
        Assert.Equal("0", _redis.Cli("EXISTS", "svc/state/replicablock/run0/3/checkpoint-a", "svc/state/replicablock/run0/3/checkpoint-a/data"));
        Assert.Equal("0", _redis.Cli("DBSIZE")); // nothing left of the refused write either
    }

    [Fact]
    public async Task After_Redis_lost_its_data_a_write_is_refused_until_the_state_is_read_again()
    {
        await using var storage = Storage();
        var state = new GrainState<CheckpointSlot>(new CheckpointSlot { Checkpoint = Checkpoint(6, 1000) });
        await storage.WriteStateAsync("checkpoint-b", _block, state);
        _redis.Restart(); // no persistence: nothing left

        var next = new CheckpointSlot { Checkpoint = Checkpoint(12, 1000) };
        state.State = next;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("checkpoint-b", _block, state));
        await storage.ReadStateAsync("checkpoint-b", _block, state);
        Assert.False(state.RecordExists);
        state.State = next;
        await storage.WriteStateAsync("checkpoint-b", _block, state);

        var read = new GrainState<CheckpointSlot>();
        await storage.ReadStateAsync("checkpoint-b", _block, read);
        AssertSame(next.Checkpoint!, read.State!.Checkpoint);
    }
}
