using System.Buffers;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace CareSim.Host;

/// <summary>
/// Grain storage in Redis for runs and their checkpoints (the silos' "checkpoints" provider in a
/// Redis cluster; docs/cluster.md). One Redis hash per grain state, holding its version (etag) and
/// its Orleans-serialised data, under the keys Orleans' own Redis provider uses.
/// </summary>
/// <remarks>
/// Orleans' provider writes through a Lua script that receives the data as an argument: Redis copies
/// a value into the script, out of it into the command and into the hash, and for an England block's
/// checkpoint (tens of megabytes) that cost Redis about three times a plain write, and more CPU than
/// the block took to simulate the months between checkpoints. Here a write is a plain HSET in a
/// transaction that first checks the version (WATCH), with the same outcome: a write that finds
/// another version than the one it read fails with <see cref="InconsistentStateException"/>
/// (<c>DurableState</c> relies on that after Redis lost its data), and records expire after
/// <c>StateExpiry</c>. The state is serialised once, into a pooled buffer sized by the last write.
/// </remarks>
public sealed class RedisCheckpointStorage(ConfigurationOptions redis, string serviceId, TimeSpan expiry, Serializer serializer) : IGrainStorage, IAsyncDisposable
{
    private static readonly RedisValue EtagField = "etag";
    private static readonly RedisValue DataField = "data";

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

    private RedisKey Key(GrainId grainId, string stateName) => $"{serviceId}/state/{grainId}/{stateName}";

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var database = await DatabaseAsync();
        var stored = await database.HashGetAsync(Key(grainId, stateName), [EtagField, DataField]);
        if (stored[0].IsNull)
        {
            Reset(grainState);
            return;
        }
        var data = (ReadOnlyMemory<byte>)stored[1];
        grainState.State = data.IsEmpty ? Activator.CreateInstance<T>() : serializer.Deserialize<T>(data);
        grainState.ETag = stored[0];
        grainState.RecordExists = true;
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
        transaction.AddCondition(grainState.ETag is null ? Condition.HashNotExists(key, EtagField) : Condition.HashEqual(key, EtagField, grainState.ETag));
        var written = transaction.HashSetAsync(key, [new HashEntry(EtagField, etag), new HashEntry(DataField, buffer.Written)]);
        var expiring = transaction.KeyExpireAsync(key, expiry);
        // The buffer goes back to the pool only once Redis has answered: a write that timed out may
        // still be sent later, and must not send a buffer since reused (it is left to the collector).
        var committed = await transaction.ExecuteAsync();
        buffer.Release();
        if (!committed) throw Conflict(key, grainState.ETag);
        await Task.WhenAll(written, expiring);
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var database = await DatabaseAsync();
        var key = Key(grainId, stateName);
        var transaction = database.CreateTransaction();
        transaction.AddCondition(grainState.ETag is null ? Condition.HashNotExists(key, EtagField) : Condition.HashEqual(key, EtagField, grainState.ETag));
        var deleted = transaction.KeyDeleteAsync(key);
        if (!await transaction.ExecuteAsync()) throw Conflict(key, grainState.ETag);
        await deleted;
        Reset(grainState);
    }

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
