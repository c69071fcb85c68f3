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
        // Only the version and the data: no key left from the sending. The data is the snapshots' bytes and a few of framing.
        Assert.Equal("2", _redis.Cli("DBSIZE"));
        Assert.InRange(long.Parse(_redis.Cli("STRLEN", "svc/state/replicablock/run0/3/checkpoint-a/data")!), Checkpoint(24, 3_000_000).Bytes, Checkpoint(24, 3_000_000).Bytes + 200);
        storage.Chunks.Release();
        Assert.Equal(0, storage.Chunks.Kept);
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
