using System.Buffers;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace CareSim.Host;

/// <summary>
/// Grain storage in Redis for runs and their checkpoints (the silos' "checkpoints" provider in a
/// Redis cluster; docs/cluster.md). Two keys per grain state: its version (etag) under
/// <c>{ServiceId}/state/{grain}/{state}</c>, its Orleans-serialised data under the same key with
/// <c>/data</c> appended; both expire after <c>StateExpiry</c>.
/// </summary>
/// <remarks>
/// Orleans' own Redis provider writes a hash through a Lua script that receives the data as an
/// argument: Redis copies the value into the script, out of it into the command and into the hash.
/// For an England block's checkpoint (tens of megabytes) that cost Redis more CPU than the block
/// took to simulate the months between two checkpoints. Here a write is two plain SETs in a
/// transaction that first checks the version (WATCH): Redis keeps the data as it read it from the
/// socket, without a copy, and a write that finds another version than the one its state was read
/// or written at fails with <see cref="InconsistentStateException"/>, as with Orleans' provider
/// (<c>DurableState</c> relies on that after Redis lost its data). The state is serialised once,
/// into a pooled buffer sized by the last write.
/// </remarks>
public sealed class RedisCheckpointStorage(ConfigurationOptions redis, string serviceId, TimeSpan expiry, Serializer serializer) : IGrainStorage, IAsyncDisposable
{
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _connection;
    private int _lastSize = 64 * 1024; // the last state's serialised size: the next buffer's

    private async Task<IDatabase> DatabaseAsync()
    {
        if (_connection is { } connected) return connected.GetDatabase();
        await _connecting.WaitAsync();
        try
        {
            // AbortOnConnectFail is off (ClusterSettings.RedisOptions): a Redis not up yet is retried, and a call fails with a timeout meanwhile.
            _connection ??= await ConnectionMultiplexer.ConnectAsync(redis);
            return _connection.GetDatabase();
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>The state's version (etag) is kept under this key, its data under the key with "/data" appended.</summary>
    private RedisKey Key(GrainId grainId, string stateName) => $"{serviceId}/state/{grainId}/{stateName}";

    private static RedisKey DataKey(RedisKey key) => key.Append("/data");

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var database = await DatabaseAsync();
        var key = Key(grainId, stateName);
        // Both in one transaction: never a version with another version's data.
        var transaction = database.CreateTransaction();
        var version = transaction.StringGetAsync(key);
        var data = transaction.StringGetLeaseAsync(DataKey(key));
        await transaction.ExecuteAsync();
        using var bytes = await data;
        if ((await version).IsNull)
        {
            Reset(grainState);
            return;
        }
        grainState.State = bytes is null || bytes.Length == 0 ? Activator.CreateInstance<T>() : serializer.Deserialize<T>(bytes.Memory);
        grainState.ETag = await version;
        grainState.RecordExists = bytes is not null;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var database = await DatabaseAsync();
        var key = Key(grainId, stateName);
        var etag = Guid.NewGuid().ToString("N");
        var buffer = new PooledWriter(_lastSize);
        serializer.Serialize(grainState.State, buffer);
        _lastSize = Math.Max(buffer.Written.Length, 1024);
        var transaction = database.CreateTransaction();
        transaction.AddCondition(Unchanged(key, grainState.ETag));
        var written = Task.WhenAll(transaction.StringSetAsync(key, etag, expiry), transaction.StringSetAsync(DataKey(key), buffer.Written, expiry));
        // The buffer goes back to the pool only once Redis has answered: a write that timed out may
        // still be sent later, and must not send a buffer since reused (it is left to the collector).
        var committed = await transaction.ExecuteAsync();
        buffer.Release();
        if (!committed) throw Conflict(key, grainState.ETag);
        await written;
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var database = await DatabaseAsync();
        var key = Key(grainId, stateName);
        var transaction = database.CreateTransaction();
        transaction.AddCondition(Unchanged(key, grainState.ETag));
        var deleted = transaction.KeyDeleteAsync([key, DataKey(key)]);
        if (!await transaction.ExecuteAsync()) throw Conflict(key, grainState.ETag);
        await deleted;
        Reset(grainState);
    }

    /// <summary>Storage still holds the version this state was read or written at (none: nothing stored).</summary>
    private static Condition Unchanged(RedisKey key, string? etag) => etag is null ? Condition.KeyNotExists(key) : Condition.StringEqual(key, etag);

    private static InconsistentStateException Conflict(RedisKey key, string? etag) =>
        new($"grain state {key}: storage holds another version than {etag ?? "none"} (written meanwhile, or lost)", storedEtag: null, currentEtag: etag);

    private static void Reset<T>(IGrainState<T> grainState)
    {
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection) await connection.DisposeAsync();
        _connecting.Dispose();
    }

    /// <summary>A contiguous buffer rented from the shared array pool (kept there between writes, and trimmed by it when idle), grown by doubling.</summary>
    private sealed class PooledWriter(int capacity) : IBufferWriter<byte>
    {
        private byte[] _array = ArrayPool<byte>.Shared.Rent(capacity);
        private int _written;

        public ReadOnlyMemory<byte> Written => _array.AsMemory(0, _written);

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _array.AsMemory(_written);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _array.AsSpan(_written);
        }

        private void Ensure(int sizeHint)
        {
            if (_array.Length - _written >= Math.Max(sizeHint, 1)) return;
            var larger = ArrayPool<byte>.Shared.Rent(checked(Math.Max(_array.Length * 2, _written + sizeHint)));
            _array.AsSpan(0, _written).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = larger;
        }

        public void Release() => ArrayPool<byte>.Shared.Return(_array);
    }
}
